"""What a run shows: a rich bar on a terminal, plain lines for cron, nothing with --quiet."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.batch.progress import (
    PlainDisplay,
    RichDisplay,
    SilentDisplay,
    choose_display,
    summary_lines,
)
from agent.batch.report import ArticleEntry, RunReport, Status


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


def test_plain_lines_list_written_and_failed_articles_not_skipped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = finished_report()
    display = PlainDisplay()
    display.start(3)
    for entry in report.entries:
        display.article_done(entry, report)
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "summarise: batch: 3 articles",
        "summarise: [1/3] written world/talks.txt (1 request(s), 1300 tokens)",
        "summarise: [3/3] failed bad.txt: bad.txt: the article is empty",
    ]


def test_rich_bar_shows_counts_and_tokens(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
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


def test_summary_names_counts_failures_and_the_report() -> None:
    lines = summary_lines(finished_report(), Path("out/.summarise-report.json"))
    assert lines[0].startswith("completed: 3 articles in ")
    assert lines[0].endswith("1 written, 1 skipped (current), 1 failed")
    assert "tokens: 1000 prompt, 300 completion, 0 cached" in lines[1]
    assert lines[2] == "failed: bad.txt: the article is empty"  # the key said once
    assert lines[-1] == "report: out/.summarise-report.json"
