"""A batch run, start to end: lock DIR, tidy what a killed run left, summarise every article
with a bounded number in flight, stop gracefully on a signal, write the report, unlock."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarise_agent.batch.article import ArticleJob, process_article
from summarise_agent.batch.inputs import BatchItem
from summarise_agent.batch.limiter import RateLimiter
from summarise_agent.batch.lock import DirectoryLock
from summarise_agent.batch.prices import PriceTable
from summarise_agent.batch.progress import ProgressDisplay
from summarise_agent.batch.report import ArticleEntry, RunReport
from summarise_agent.batch.state import STATE_FILE_NAME, CleanedHashes, cleaner_fingerprint
from summarise_agent.batch.stopping import StopSignal
from summarise_agent.config import Settings
from summarise_agent.pipeline import Endpoint, RunContext

if TYPE_CHECKING:
    from summarise_agent.batch.provider import ProviderOptions

log = logging.getLogger(__name__)

# write_atomically's temp files (".NAME.RANDOM.tmp"), left behind only by a killed run
_TEMP_FILE = re.compile(r"\..+\.json\.[A-Za-z0-9_]+\.tmp")


@dataclass(frozen=True)
class BatchOptions:
    out_dir: Path
    report_path: Path
    prices: PriceTable
    force: bool = False
    wait_for_lock: bool = False
    grace_seconds: float = 10.0  # how long in-flight articles may finish after a stop
    provider: ProviderOptions | None = None  # --provider-batch: through the Batch API


async def run_batch(
    items: list[BatchItem], settings: Settings, endpoint: Endpoint, options: BatchOptions,
    display: ProgressDisplay,
) -> tuple[RunReport, StopSignal]:  # fmt: skip
    limiter = RateLimiter(settings.rpm, settings.tpm, concurrency=settings.concurrency)
    run = RunContext(settings, endpoint, limiter)  # refuses a bad schema before touching DIR
    lock = DirectoryLock(options.out_dir)
    stop = StopSignal()
    loop = asyncio.get_running_loop()
    stop.install(loop)
    try:
        await lock.acquire(wait=options.wait_for_lock, stopping=stop.is_set)
        report = _new_report(items, settings, options)
        if lock.stale_holder:
            report.notes.append("took over the lock of an earlier run that was killed")
        _remove_stale_temp_files(options.out_dir, report)
        known = CleanedHashes(options.out_dir / STATE_FILE_NAME, cleaner_fingerprint())
        job = ArticleJob(run, options.out_dir, options.prices, stop, known, options.force)
        try:
            if options.provider is not None:
                from summarise_agent.batch.provider import provider_passes

                await provider_passes(items, report.entries, report.notes, job, options.provider)
            else:
                await _work_through(items, report, job, display, options)
        finally:  # also on a second Ctrl-C or an unexpected error: the report is the record
            _finish_report(report, stop, limiter)
            _write_report_and_state(report, known, options.report_path)
        return report, stop
    finally:
        await run.aclose()
        lock.release()
        stop.uninstall(loop)


def _write_report_and_state(report: RunReport, known: CleanedHashes, report_path: Path) -> None:
    """Both are tried, whatever happens to the first: a full disk is one line (exit 10)."""
    from summarise_agent.errors import OutputError

    failures: list[OutputError] = []
    for write in (functools.partial(report.write, report_path), known.save):
        try:
            write()
        except OutputError as error:
            failures.append(error)
    if failures:
        counts = report.counts()
        raise OutputError(f"the run cannot be recorded: {failures[0].message} "
                          f"({counts['written']} written, {counts['failed']} failed; "
                          "written outputs are complete)", disk_level=True)  # fmt: skip


def _new_report(items: list[BatchItem], settings: Settings, options: BatchOptions) -> RunReport:
    run_settings: dict[str, Any] = {
        "schema": settings.schema, "model": settings.model,
        "prompt_version": settings.prompt_version, "out": str(options.out_dir),
        "concurrency": settings.concurrency, "rpm": settings.rpm, "tpm": settings.tpm,
        "force": options.force, "provider_batch": options.provider is not None,
    }  # fmt: skip
    entries = [ArticleEntry(item.key, item.output_name) for item in items]
    return RunReport(settings=run_settings, entries=entries)


async def _work_through(
    items: list[BatchItem], report: RunReport, job: ArticleJob, display: ProgressDisplay,
    options: BatchOptions,
) -> None:  # fmt: skip
    pending = list(zip(items, report.entries, strict=True))
    pending.reverse()  # pop() from the end takes them in input order

    async def worker() -> None:
        while pending and not job.stop.is_set():
            item, entry = pending.pop()
            await process_article(item, entry, job)
            display.article_done(entry, report)

    display.start(len(items))
    try:
        count = max(1, min(job.run.settings.concurrency, len(items)))
        workers = [asyncio.create_task(worker()) for _ in range(count)]
        await _until_done_or_stopped(workers, job.stop, options.grace_seconds)
    finally:
        display.close()


async def _until_done_or_stopped(
    workers: list[asyncio.Task[None]], stop: StopSignal, grace_seconds: float
) -> None:
    all_done: asyncio.Future[Any] = asyncio.gather(*workers)
    # abandoned workers end it with CancelledError: retrieve it, or asyncio logs a traceback
    all_done.add_done_callback(_retrieve_outcome)
    stop_requested: asyncio.Future[Any] = asyncio.create_task(stop.requested.wait())
    try:
        await asyncio.wait({all_done, stop_requested}, return_when=asyncio.FIRST_COMPLETED)
        if not all_done.done():  # stopping: let in-flight articles finish, within the grace
            forced: asyncio.Future[Any] = asyncio.create_task(stop.forced.wait())
            await asyncio.wait({all_done, forced}, timeout=grace_seconds,
                               return_when=asyncio.FIRST_COMPLETED)  # fmt: skip
            forced.cancel()
    finally:
        stop_requested.cancel()
        for task in workers:
            task.cancel()  # abandoned articles are marked interrupted by process_article
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*workers, return_exceptions=True)


def _retrieve_outcome(done: asyncio.Future[Any]) -> None:
    if not done.cancelled():
        done.exception()


def _finish_report(report: RunReport, stop: StopSignal, limiter: RateLimiter) -> None:
    report.finished_at = time.time()
    report.refusals_429 = limiter.refusals
    report.settings["learned_rpm"] = limiter.requests.per_minute
    report.settings["learned_tpm"] = limiter.tokens.per_minute
    if stop.fatal is not None:
        report.outcome = "aborted"
        report.notes.append(f"stopped early: {stop.fatal.message}")
    elif stop.signal_name is not None:
        report.outcome = "interrupted"
        report.notes.append(f"stopped by {stop.signal_name}")
    else:
        report.outcome = "completed"


def _remove_stale_temp_files(out_dir: Path, report: RunReport) -> None:
    """Temp files of a killed run: never an output, safe to delete while we hold the lock."""
    for path in out_dir.iterdir():
        if _TEMP_FILE.fullmatch(path.name) and path.is_file():
            path.unlink(missing_ok=True)
            report.notes.append(f"removed {path.name}, left by an interrupted write")
