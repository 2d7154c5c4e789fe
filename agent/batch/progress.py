"""What a batch run shows while it works: a rich progress bar on a terminal, one plain line per
written or failed article when stderr is not a terminal (cron, CI logs), nothing with --quiet.
Then a short human summary (with --quiet only when something failed)."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path
from typing import Any, Protocol

from summarise_agent.batch.report import ArticleEntry, RunReport, Status
from summarise_agent.redact import safe_line
from summarise_agent.strict import grounding_counts

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
        where = f"[{self._finished}/{self._total}] {entry.status.value}"
        if entry.reason:
            _say(f"{where} {named_reason(entry)}")
        else:
            cached = ", from the cache" if entry.cache_hit else ""
            grounded = f"; {grounding_counts(entry.grounding)}" if entry.grounding else ""
            tokens = entry.prompt_tokens + entry.completion_tokens
            _say(f"{where} {entry.input} ({entry.http_attempts} request(s), {tokens} tokens"
                 f"{cached}{grounded})")  # fmt: skip

    def close(self) -> None:
        pass


class RichDisplay:
    """done/failed/skipped, articles per minute, ETA and tokens, on stderr, on one line that
    fits the terminal: below WIDE_TERMINAL columns the bar is shorter and the counts terser."""

    WIDE_TERMINAL = 120

    def __init__(self, console: Any = None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        console = console or Console(stderr=True)
        wide = console.width >= self.WIDE_TERMINAL
        counts = (
            "[green]{task.fields[written]} written[/] [dim]{task.fields[skipped]} skipped[/] "
            "[red]{task.fields[failed]} failed[/]"
            if wide else
            "[green]{task.fields[written]} ok[/] [dim]{task.fields[skipped]} skip[/] "
            "[red]{task.fields[failed]} fail[/]"
        )  # fmt: skip
        # narrow: no elapsed time and no token count (the summary line gives both at the end)
        extra = [TextColumn("{task.fields[tokens]} tok"), TimeElapsedColumn()] if wide else []
        self._progress = Progress(
            TextColumn("[bold]batch"), BarColumn(bar_width=24 if wide else 10),
            MofNCompleteColumn(), TextColumn(counts), TextColumn("{task.fields[rate]}/min"),
            *extra, TextColumn("ETA"), TimeRemainingColumn(), console=console, transient=False,
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
           if report.outcome != "completed" else "")
        + (f", {totals['pending']} pending in provider batches (a later run collects them)"
           if totals["pending"] else ""),
        f"requests: {totals['http_attempts']} ({totals['refused_429']} refused with 429); "
        f"tokens: {totals['prompt_tokens']} prompt, {totals['completion_tokens']} completion, "
        f"{totals['cached_tokens']} cached; estimated cost: "
        + (f"${cost:.4f}" if cost is not None else "unknown (no price for this model)"),
    ]  # fmt: skip
    failed = [entry for entry in report.entries if entry.status == Status.FAILED]
    for entry in sorted(failed, key=lambda e: e.input)[:MAX_FAILURES_LISTED]:
        lines.append(f"failed: {named_reason(entry)}")
    if len(failed) > MAX_FAILURES_LISTED:
        lines.append(f"... and {len(failed) - MAX_FAILURES_LISTED} more failures")
    lines.append(f"grounding: {grounding_counts(totals['grounding'])}")
    strict = sorted(entry.input for entry in report.entries if entry.strict_failed)
    for name in strict[:MAX_FAILURES_LISTED]:
        lines.append(f"--strict: {name}: holds claims the article does not back")
    if len(strict) > MAX_FAILURES_LISTED:
        lines.append(f"... and {len(strict) - MAX_FAILURES_LISTED} more failing --strict")
    lines.append(f"report: {report_path}")
    return lines


def named_reason(entry: ArticleEntry) -> str:
    """'KEY: reason', the article named once: a reason that already starts with the key (an
    input error) is not prefixed again."""
    reason = entry.reason or ""
    return reason if reason.startswith(f"{entry.input}: ") else f"{entry.input}: {reason}"


def print_summary(lines: list[str]) -> None:
    for line in lines:
        _say(line)


class _Stderr:
    closed = False  # its reader went away (`batch ... 2>&1 | head`)


def _say(text: str) -> None:
    """One line on stderr. When nobody reads stderr any more, the run goes on silently: the
    articles are still done and the report (a file) still records them."""
    if _Stderr.closed:
        return
    try:
        print(f"summarise: {safe_line(text)}", file=sys.stderr, flush=True)
    except BrokenPipeError:
        _Stderr.closed = True
        # later writes, and Python's own flush at exit, go nowhere instead of failing
        with contextlib.suppress(OSError, ValueError):  # ValueError: not a real file
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stderr.fileno())
            os.close(devnull)


def _short(number: int) -> str:
    if number >= 1_000_000:
        return f"{number / 1_000_000:.1f}M"
    return f"{number / 1000:.1f}k" if number >= 1000 else str(number)
