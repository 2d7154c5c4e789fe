"""What a batch run shows while it works: a rich progress bar on a terminal, one plain line per
written or failed article when stderr is not a terminal (cron, CI logs), nothing with --quiet.
Then a short human summary (with --quiet only when something failed)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, Protocol

from agent.batch.report import ArticleEntry, RunReport, Status
from agent.redact import safe_line

MAX_FAILURES_LISTED = 10


class ProgressDisplay(Protocol):
    def start(self, total: int) -> None: ...
    def article_done(self, entry: ArticleEntry, report: RunReport) -> None: ...
    def close(self) -> None: ...


def choose_display(quiet: bool) -> ProgressDisplay:
    if quiet:
        return SilentDisplay()
    if sys.stderr.isatty():
        return RichDisplay()
    return PlainDisplay()


class SilentDisplay:
    def start(self, total: int) -> None:
        pass

    def article_done(self, entry: ArticleEntry, report: RunReport) -> None:
        pass

    def close(self) -> None:
        pass


class PlainDisplay:
    """Log lines for cron mail and CI logs: skipped articles are counted, not listed."""

    def __init__(self) -> None:
        self._total = 0
        self._finished = 0

    def start(self, total: int) -> None:
        self._total = total
        _say(f"batch: {total} article{'s' if total != 1 else ''}")

    def article_done(self, entry: ArticleEntry, report: RunReport) -> None:
        self._finished += 1
        if entry.status == Status.SKIPPED:
            return
        where = f"[{self._finished}/{self._total}] {entry.status.value} {entry.input}"
        if entry.reason:
            _say(f"{where}: {entry.reason}")
        else:
            cached = ", from the cache" if entry.cache_hit else ""
            _say(f"{where} ({entry.http_attempts} request(s), "
                 f"{entry.prompt_tokens + entry.completion_tokens} tokens{cached})")  # fmt: skip

    def close(self) -> None:
        pass


class RichDisplay:
    """done/failed/skipped, articles per minute, ETA and tokens, on stderr."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("[bold]batch"), BarColumn(bar_width=24), MofNCompleteColumn(),
            TextColumn("[green]{task.fields[written]} written[/] [dim]{task.fields[skipped]} "
                       "skipped[/] [red]{task.fields[failed]} failed[/]"),
            TextColumn("{task.fields[rate]}/min"), TextColumn("{task.fields[tokens]} tok"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=Console(stderr=True), transient=False,
        )  # fmt: skip
        self._task: Any = None
        self._started = time.monotonic()

    def start(self, total: int) -> None:
        self._progress.start()
        self._task = self._progress.add_task(
            "batch", total=total, written=0, skipped=0, failed=0, rate="0", tokens="0"
        )

    def article_done(self, entry: ArticleEntry, report: RunReport) -> None:
        counts, totals = report.counts(), report.totals()
        finished = sum(counts[s.value] for s in (Status.WRITTEN, Status.SKIPPED, Status.FAILED))
        minutes = max(1e-6, (time.monotonic() - self._started) / 60)
        tokens = totals["prompt_tokens"] + totals["completion_tokens"]
        self._progress.update(
            self._task, completed=finished, written=counts["written"],
            skipped=counts["skipped"], failed=counts["failed"],
            rate=f"{finished / minutes:.0f}", tokens=_short(tokens),
        )  # fmt: skip

    def close(self) -> None:
        self._progress.stop()


def summary_lines(report: RunReport, report_path: Path) -> list[str]:
    """The short human summary printed at the end of a run."""
    totals = report.totals()
    cost = totals["cost_usd"]
    lines = [
        f"{report.outcome}: {totals['articles']} articles in {report.duration:.1f}s: "
        f"{totals['written']} written, {totals['skipped']} skipped (current), "
        f"{totals['failed']} failed"
        + (f", {totals['interrupted']} interrupted, {totals['not_started']} not started"
           if report.outcome != "completed" else ""),
        f"requests: {totals['http_attempts']} ({totals['refused_429']} refused with 429); "
        f"tokens: {totals['prompt_tokens']} prompt, {totals['completion_tokens']} completion, "
        f"{totals['cached_tokens']} cached; estimated cost: "
        + (f"${cost:.4f}" if cost is not None else "unknown (no price for this model)"),
    ]  # fmt: skip
    failed = [entry for entry in report.entries if entry.status == Status.FAILED]
    for entry in sorted(failed, key=lambda e: e.input)[:MAX_FAILURES_LISTED]:
        reason = entry.reason or ""
        # input errors already start with the article's key: say it once
        named = reason if reason.startswith(f"{entry.input}: ") else f"{entry.input}: {reason}"
        lines.append(f"failed: {named}")
    if len(failed) > MAX_FAILURES_LISTED:
        lines.append(f"... and {len(failed) - MAX_FAILURES_LISTED} more failures")
    lines.append(f"report: {report_path}")
    return lines


def print_summary(lines: list[str]) -> None:
    for line in lines:
        _say(line)


def _say(text: str) -> None:
    print(f"summarise: {safe_line(text)}", file=sys.stderr, flush=True)


def _short(number: int) -> str:
    if number >= 1_000_000:
        return f"{number / 1_000_000:.1f}M"
    return f"{number / 1000:.1f}k" if number >= 1000 else str(number)
