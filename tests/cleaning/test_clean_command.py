"""`summarise clean`: every input kind, --show-removed, and refusals as one-line errors."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from summarise_agent.cli import main
from summarise_agent.errors import ExitCode

FIXTURES = Path(__file__).parent / "fixtures"
PASTED = (
    "Border talks resume in Geneva\n\n"
    "By Jane Doe | Diplomatic Correspondent\n\n"
    "Negotiators met in Geneva on Tuesday to resume talks on the river border, officials said.\n\n"
    "Share this article\n\n"
    "Dear readers, we rely on your support. Please support us with a donation. Remind me later.\n\n"
    "A second round of talks is planned for April, the foreign minister said.\n\n"
    "© 2024 The Daily Ledger. All rights reserved.\n"
)
PASTED_CLEANED = (
    "Border talks resume in Geneva\n\n"
    "Negotiators met in Geneva on Tuesday to resume talks on the river border, officials said.\n\n"
    "A second round of talks is planned for April, the foreign minister said.\n"
)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("SUMMARISE_"):
            monkeypatch.delenv(name)
    (tmp_path / "config.toml").write_bytes(b"")  # an empty config: no user settings
    monkeypatch.setenv("SUMMARISE_CONFIG", str(tmp_path / "config.toml"))


def run(
    args: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stdin: bytes = b"",
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = 0
    try:
        main(args)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_clean_prints_the_cleaned_text_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    article = tmp_path / "talks.txt"
    article.write_text(PASTED, encoding="utf-8")
    code, out, err = run(["clean", str(article)], capsys, monkeypatch)
    assert (code, out, err) == (0, PASTED_CLEANED, "")


def test_show_removed_lists_each_removal_with_its_rule_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    article = tmp_path / "talks.txt"
    article.write_text(PASTED, encoding="utf-8")
    code, out, err = run(["clean", str(article), "--show-removed"], capsys, monkeypatch)
    assert code == 0 and out == PASTED_CLEANED
    headers = [line for line in err.splitlines() if line.startswith("--- removed by ")]
    assert [header.split(":")[0] for header in headers] == [
        "--- removed by byline",
        "--- removed by share-prompt",
        "--- removed by donation-appeal",
        "--- removed by copyright-footer",
    ]
    assert "    Share this article" in err.splitlines()
    assert err.splitlines()[-1].startswith("=== 4 removal(s)")
    assert "title: Border talks resume in Geneva" in err


@pytest.mark.parametrize("suffix", [".html", ".htm"])
def test_clean_reads_html_files(
    suffix: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = tmp_path / f"talks{suffix}"
    page.write_bytes((FIXTURES / "border-talks.html").read_bytes())
    code, out, _ = run(["clean", str(page)], capsys, monkeypatch)
    assert code == 0
    assert out.startswith("Negotiators from Northland and Southland")
    assert "<" not in out and "cookies" not in out


def test_clean_reads_markdown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    article = tmp_path / "talks.md"
    article.write_text("# Talks resume\n\nNegotiators met on **Tuesday**.\n", encoding="utf-8")
    assert run(["clean", str(article)], capsys, monkeypatch)[1] == (
        "Talks resume\n\nNegotiators met on Tuesday.\n"
    )


@pytest.mark.parametrize(
    "data", [PASTED.encode(), (FIXTURES / "border-talks.html").read_bytes()], ids=["text", "html"]
)
def test_clean_reads_stdin_and_detects_html_by_content(
    data: bytes, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(["clean", "-"], capsys, monkeypatch, stdin=data)
    assert code == 0
    assert "Negotiators" in out and "<p>" not in out and "Share this article" not in out


@pytest.mark.parametrize(
    ("data", "complaint"),
    [
        (b"%PDF-1.4\n1 0 obj\n", "stdin: this is a PDF document"),
        (b"<html><body><nav>Home About</nav></body></html>", "stdin: no article text found"),
    ],
)
def test_refusals_are_one_line_input_errors(
    data: bytes,
    complaint: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, err = run(["clean", "-"], capsys, monkeypatch, stdin=data)
    assert code == ExitCode.INPUT and out == ""
    assert err.startswith(f"summarise: error: {complaint}") and err.count("\n") == 1


def test_a_huge_input_is_refused_with_the_limit_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARISE_MAX_INPUT_BYTES", "1000")
    article = tmp_path / "huge.txt"
    article.write_text("Talks resumed in Geneva on Tuesday. " * 100, encoding="utf-8")
    code, out, err = run(["clean", str(article)], capsys, monkeypatch)
    assert code == ExitCode.INPUT and out == ""
    assert "huge.txt" in err and "1,000-byte limit" in err
