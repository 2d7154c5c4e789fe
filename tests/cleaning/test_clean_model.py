"""The learned boilerplate model through `summarise clean`, on text written for these tests.

The fixtures under fixtures/glued/ are our own: three articles, a publisher's appeal and one
block of each of 14 kinds of boilerplate, worded differently from the synthetic training
material (agent/cleaning/synthetic.py) and from the shared corpus. Articles and boilerplate are
glued together one paragraph per line, as pasted text arrives.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from summarise_agent.cleaning.features import bucket
from summarise_agent.cli import main
from summarise_agent.errors import ExitCode

GLUED = Path(__file__).parent / "fixtures" / "glued"
ARTICLES = sorted(GLUED.glob("article-*.txt"))
_WORDS = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+")


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("SUMMARISE_"):
            monkeypatch.delenv(name)
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")  # a named config file must exist
    monkeypatch.setenv("SUMMARISE_CONFIG", str(config))


def clean(
    text: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *flags: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode()), "utf-8"))
    code = 0
    try:
        main(["clean", "-", *flags])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def kinds(path: Path = GLUED / "boilerplate-kinds.txt") -> dict[str, list[str]]:
    """The blocks of a kinds file: `## kind` headings, one block of lines under each."""
    blocks: dict[str, list[str]] = {}
    kind = ""
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("## "):
            kind = line[3:]
            blocks[kind] = []
        elif line.strip() and not line.startswith("#"):
            blocks[kind].append(line)
    return blocks


def _words(text: str) -> str:
    return " " + " ".join(_WORDS.findall(text.casefold())) + " "


def lost_sentences(article: str, cleaned: str) -> list[str]:
    kept = _words(cleaned)
    sentences = [s for line in article.splitlines() for s in _SENTENCE_END.split(line)]
    return [s for s in sentences if s.strip() and _words(s) not in kept]


def kept_lines(lines: list[str], cleaned: str) -> list[str]:
    kept = _words(cleaned)
    return [line for line in lines if _words(line) in kept]


# Part of the "Done when" is not reached yet (docs/cleaning.md, "Open"): several kinds
# are only partly removed. Strict: the test fails loudly once it passes.
NOT_YET = pytest.mark.xfail(
    strict=True, reason="issue 9 Done-when not met yet: fewer than 12 of 14 kinds removed whole"
)


def test_glued_boilerplate_never_costs_an_article_sentence(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    appeal = (GLUED / "appeal.txt").read_text("utf-8").strip()
    blocks = ["\n".join(lines) for lines in kinds().values()] + [appeal]
    for number, block in enumerate(blocks):
        text = ARTICLES[number % len(ARTICLES)].read_text("utf-8").strip()
        paragraphs = "\n\n".join(text.splitlines())
        for glued in (f"{block}\n{text}\n", f"{text}\n{block}\n", f"{paragraphs}\n{block}"):
            code, out, _ = clean(glued, capsys, monkeypatch)
            assert code == 0
            assert lost_sentences(text, out) == [], block[:40]


@pytest.mark.parametrize("article", ARTICLES, ids=lambda path: path.stem)
def test_a_publishers_appeal_after_a_pasted_article_is_removed_whole(
    article: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = article.read_text("utf-8")
    appeal = (GLUED / "appeal.txt").read_text("utf-8").splitlines()
    code, out, _ = clean(text + "\n".join(appeal) + "\n", capsys, monkeypatch)
    assert code == 0
    assert kept_lines(appeal, out) == []
    assert lost_sentences(text, out) == []


@NOT_YET
def test_at_least_12_of_14_kinds_of_boilerplate_are_removed_and_no_sentence_is_lost(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    removed: dict[str, int] = {}
    for number, (kind, lines) in enumerate(kinds().items()):
        text = ARTICLES[number % len(ARTICLES)].read_text("utf-8").strip()
        block = "\n".join(lines)
        for glued in (f"{block}\n{text}\n", f"{text}\n{block}\n"):
            code, out, _ = clean(glued, capsys, monkeypatch)
            assert code == 0
            assert lost_sentences(text, out) == [], kind
            removed[kind] = removed.get(kind, 0) + (not kept_lines(lines, out))
    assert len(removed) == 14
    whole_both_ways = [kind for kind, count in removed.items() if count == 2]
    assert len(whole_both_ways) >= 12, removed


def test_clean_articles_lose_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for article in ARTICLES:
        text = article.read_text("utf-8")
        code, out, err = clean(text, capsys, monkeypatch, "--show-removed")
        assert code == 0 and lost_sentences(text, out) == []
        assert "--- removed by" not in err


def test_show_removed_names_the_models_score(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = ARTICLES[0].read_text("utf-8") + (GLUED / "appeal.txt").read_text("utf-8")
    code, _, err = clean(text, capsys, monkeypatch, "--show-removed")
    assert code == 0
    headers = [line for line in err.splitlines() if line.startswith("--- removed by model")]
    assert headers
    reason = r"score (0\.\d\d|1\.00), (in the run of boilerplate|continuing a publisher.s appeal)"
    assert all(re.search(reason, header) for header in headers)


def test_mixed_layout_appeal_in_lines_under_blank_line_paragraphs(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = ARTICLES[1].read_text("utf-8")
    article = "\n\n".join(text.splitlines())  # the article in blank-line paragraphs...
    appeal = (GLUED / "appeal.txt").read_text("utf-8")  # ...the appeal one line each, glued on
    code, out, _ = clean(article + "\n" + appeal, capsys, monkeypatch)
    assert code == 0
    assert kept_lines(appeal.splitlines(), out) == []
    assert lost_sentences(text, out) == []


def test_feature_hashing_is_stable_across_runs_and_versions() -> None:
    # zlib.crc32, not hash(): the shipped weights are indexed by these numbers.
    assert bucket("subscribe") == bucket("subscribe")
    script = "from summarise_agent.cleaning.features import bucket; print(bucket('subscribe'))"
    env = {**os.environ, "PYTHONHASHSEED": "123"}
    child = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert int(child.stdout) == bucket("subscribe")


def test_inference_imports_no_numpy_or_scikit_learn() -> None:
    script = (
        "import sys; from summarise_agent.cleaning import clean_document;"
        "clean_document(b'Talks resumed on Tuesday.\\nSubscribe now', 'a.txt');"
        "print(sorted(m for m in ('numpy', 'sklearn', 'scipy') if m in sys.modules))"
    )
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip() == "[]"


def test_a_page_with_too_many_tags_is_refused_at_once(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    paragraphs = "".join(f"<p>Paragraph {i} of a very long page.</p>" for i in range(30_000))
    page = f"<!doctype html><html><body><article>{paragraphs}</article></body></html>"
    code, out, err = clean(page, capsys, monkeypatch)
    assert code == ExitCode.INPUT and out == ""
    assert err.startswith("summarise: error: stdin: the HTML page has 60,") and err.count("\n") == 1


def test_a_page_of_20000_paragraphs_is_cleaned_not_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sentence = "of the report on the library closures was read out to the council."
    paragraphs = "".join(f"<p>Paragraph {i} {sentence}</p>" for i in range(20_000))
    page = f"<!doctype html><html><body><article>{paragraphs}</article></body></html>"
    code, out, err = clean(page, capsys, monkeypatch)
    assert code == 0, err
    assert f"Paragraph 0 {sentence}" in out and f"Paragraph 19999 {sentence}" in out


def test_a_5_mb_page_mostly_scripts_and_styles_is_cleaned(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A modern news page: megabytes of inline scripts, styles and SVG icons, thousands of
    # menu links, and the article somewhere inside.
    script = "<script>window.data = {" + '"k": "v", ' * 2_000 + "};</script>"
    style = "<style>" + ".c{color:red}" * 500 + "</style>"
    icon = "<svg><path d='M0 0L1 1'/></svg>"
    menu = "<nav>" + "".join(f"<a href='/s{i}'>Section {i}</a>" for i in range(5_000)) + "</nav>"
    body = "".join(
        f"<p>The council said on Tuesday that part {i} of the report on library closures "
        "would be published before the vote.</p>"
        for i in range(40)
    )
    head = (script + style + icon) * 170
    page = f"<!doctype html><html><head>{head}</head><body>{menu}<article>{body}</article>"
    page += "</body></html>"
    assert 4_500_000 < len(page.encode()) < 5_000_000 and page.count("<") > 10_000
    code, out, err = clean(page, capsys, monkeypatch)
    assert code == 0, err
    assert "part 0 of the report" in out and "part 39 of the report" in out
    assert "window.data" not in out


def test_unclosed_scripts_and_comments_on_a_large_page_do_not_hang_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Cut out with one forward pass: a lazy regex would rescan the page for each opener.
    body = "".join(
        f"<p>Part {i} of the report on library closures would be published before the vote.</p>"
        for i in range(40)
    )
    menu = "".join(f"<a href='/s{i}'>Section {i}</a>" for i in range(4_000))
    page = f"<!doctype html><html><body><nav>{menu}</nav><article>{body}</article>"
    page += "<!--" * 30_000 + "<script>" * 30_000
    code, out, err = clean(page, capsys, monkeypatch)
    assert code == 0, err
    assert "Part 0 of the report" in out and "Part 39 of the report" in out


def test_html_keeps_embedded_posts_and_statements_and_drops_hover_cards(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = (GLUED.parent / "embedded-and-hovercard.html").read_text("utf-8")
    code, out, _ = clean(page, capsys, monkeypatch)
    assert code == 0
    assert "We hear you. The players stand with the fans" in out  # the embedded post
    assert "will freeze prices for next season" in out  # the club's statement
    assert "The people Jane Doe said the board would meet again" in out
    assert "Jane DoeJane Doe" not in out and "Latest: Ticket row" not in out


def test_a_cut_short_article_is_flagged_and_a_whole_one_is_not() -> None:
    from summarise_agent.cleaning.truncation import prose_around, truncation_warning

    paragraph = "The committee heard evidence from residents about the new road scheme. " * 5
    page = (
        "<html><body><main>"
        + "".join(f"<div><div><p>{i}: {paragraph}</p></div></div>" for i in range(8))
        + "</main></body></html>"
    )
    kept = "\n".join(f"{i}: {paragraph}" for i in range(3))
    shown = prose_around(page, kept)
    warning = truncation_warning("page.html", kept, shown, "the article's paragraphs")
    assert warning is not None and warning.startswith("page.html: the cleaned text keeps ")
    whole = "\n".join(f"{i}: {paragraph}" for i in range(8))
    assert truncation_warning("page.html", whole, prose_around(page, whole), "x") is None
