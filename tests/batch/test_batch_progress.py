"""What a run shows: a rich bar on a terminal, plain lines for cron, nothing with --quiet."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarise_agent.batch.progress import (
    PlainDisplay,
    RichDisplay,
    SilentDisplay,
    choose_display,
    summary_lines,
)
from summarise_agent.batch.report import ArticleEntry, RunReport, Status


def finished_report() -> RunReport:
    report = RunReport(settings={})
    written = ArticleEntry("world/talks.txt", "world__talks.3f2a9c1b.json", Status.WRITTEN,
                           http_attempts=1, prompt_tokens=1000, completion_tokens=300)  # fmt: skip
    skipped = ArticleEntry("old.txt", "old.1a2b3c4d.json", Status.SKIPPED)
    failed = ArticleEntry("bad.txt", "bad.0f0f0f0f.json")
    failed.fail(Status.FAILED, "bad.txt: the article is empty", "input")
    report.entries = [written, skipped, failed]
    report.outcome = "completed"
    return report


def test_display_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(choose_display(quiet=True), SilentDisplay)
    monkeypatch.setattr("sys.stderr.isatty", lambda: False)
    assert isinstance(choose_display(quiet=False), PlainDisplay)
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    assert isinstance(choose_display(quiet=False), RichDisplay)


def test_plain_lines_list_written_and_failed_articles_not_skipped(capsys: pytest.CaptureFixture[str]) -> None:
    report = finished_report()
    display = PlainDisplay()
    display.start(3)
    for entry in report.entries:
        display.article_done(entry, report)
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "summarise: batch: 3 articles",
        "summarise: [1/3] written world/talks.txt (1 request(s), 1300 tokens)",
        "summarise: [3/3] failed bad.txt: the article is empty",  # the article named once
    ]


def test_rich_bar_shows_counts_and_tokens(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "150")
    report = finished_report()
    display = RichDisplay()
    display.start(3)
    for entry in report.entries:
        display.article_done(entry, report)
    display.close()
    shown = capsys.readouterr().err
    assert "3/3" in shown and "1 written" in shown and "1 skipped" in shown and "1 failed" in shown
    assert "1.3k tok" in shown


@pytest.mark.parametrize("width", [80, 100])
def test_rich_bar_fits_a_narrow_terminal(width: int) -> None:
    """At 80 columns every part stays readable on one line: no ellipsis, no wrapped cell."""
    import io

    from rich.console import Console

    screen = io.StringIO()
    display = RichDisplay(Console(file=screen, width=width, force_terminal=True, color_system=None))
    report = RunReport(settings={})
    for number in range(1234):
        entry = ArticleEntry(f"a{number}.txt", "x.json", Status.FAILED if number % 9 == 0 else Status.WRITTEN)
        report.entries.append(entry)
    report.entries += [ArticleEntry(f"b{n}.txt", "y.json", Status.SKIPPED) for n in range(8765)]
    display.start(10_000)
    display.article_done(report.entries[-1], report)
    display.close()
    last = screen.getvalue().replace("\x1b[2K", "\n").split("\n")
    line = [text for text in last if "9999/10000" in text][-1]
    assert len(line.rstrip()) <= width and "…" not in line
    for part in ("1096 ok", "8765 skip", "138 fail", "/min", "ETA"):
        assert part in line, line


def test_summary_names_counts_failures_and_the_report() -> None:
    lines = summary_lines(finished_report(), Path("out/.summarise-report.json"))
    assert lines[0].startswith("completed: 3 articles in ")
    assert lines[0].endswith("1 written, 1 skipped (current), 1 failed")
    assert "tokens: 1000 prompt, 300 completion, 0 cached" in lines[1]
    assert lines[2] == "failed: bad.txt: the article is empty"  # the key said once
    assert lines[-1] == "report: out/.summarise-report.json"
