"""One article of a batch: skip it if its output is current, else summarise and write it.

An output is current when the existing file parses and its `source.sha256` (the cleaned
text), `schema.sha256`, `prompt.sha256` and `model` equal what this run would produce; any
other file, corrupt ones included, is redone. Model settings such as the temperature are not
in the file, so changing them alone needs `--force` (the answer cache still tells them apart).
A current output whose provenance changed (source.path, a manifest's title/url/published) is
rewritten in place without a request.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from summarise_agent.batch.inputs import BatchItem
from summarise_agent.batch.limiter import RequestCounts, current_article
from summarise_agent.batch.prices import PriceTable
from summarise_agent.batch.report import ArticleEntry, Status
from summarise_agent.batch.state import CleanedHashes, read_plain_file
from summarise_agent.batch.stopping import StopSignal
from summarise_agent.batch.workers import WorkerProcesses
from summarise_agent.cleaning import CleanedDocument, clean_document
from summarise_agent.errors import ConfigError, OutputError, SummariseError
from summarise_agent.extract import ExtractionStats
from summarise_agent.load import ArticleSource, read_input
from summarise_agent.output import check_output_target, render_json, write_output
from summarise_agent.pipeline import RunContext, summarise_article
from summarise_agent.record import FORMAT_VERSION
from summarise_agent.record import text_sha256 as cleaned_text_sha256
from summarise_agent.single_article import answer_kept
from summarise_agent.stages import clean_stage, write_stage
from summarise_agent.strict import note_grounding, read_checks, strict_level

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ArticleJob:
    """What every article of the run shares besides the RunContext."""

    run: RunContext
    out_dir: Path
    prices: PriceTable
    stop: StopSignal
    known: CleanedHashes  # cleaned-text hashes of inputs seen before: skip checks need not clean
    slots: asyncio.Semaphore  # `concurrency`: articles past cleaning, asking and checking at once
    force: bool = False


async def process_article(item: BatchItem, entry: ArticleEntry, job: ArticleJob) -> None:
    """Fill `entry` with what happened; never raises except CancelledError (abandoned)."""
    started = time.monotonic()
    stats = ExtractionStats()  # ours, so a failure's requests and tokens are still counted
    # after a 429, the limiter's waits count against the article's retry budget, end to end
    requests = RequestCounts(retry_budget=job.run.settings.retry_max_seconds)
    current_article.set(requests)  # this worker task's own context: counts only this article
    if isinstance(job.run.workers, WorkerProcesses):
        job.run.workers.start_article()
    try:
        await _summarise_unless_current(item, entry, job, stats)
    except asyncio.CancelledError:
        entry.fail(Status.INTERRUPTED, "abandoned in flight when the run was stopped",
                   "interrupted")  # fmt: skip
        raise
    except SummariseError as error:
        entry.fail(Status.FAILED, _named_by_key(error.message, item), error.exit_code.name.lower())
        if isinstance(error, ConfigError) or (isinstance(error, OutputError) and error.disk_level):
            job.stop.abort(error)  # every other article would fail the same way
    except Exception as error:  # a bug in one article must not end the others
        entry.fail(Status.FAILED, f"internal error ({type(error).__name__}): {error}", "internal")
    finally:
        entry.add_stats(stats, job.prices, job.run.settings.model)
        entry.http_attempts = max(entry.http_attempts, requests.attempts)
        entry.refused_429 = requests.refused_429
        entry.duration_seconds = time.monotonic() - started


async def _summarise_unless_current(
    item: BatchItem, entry: ArticleEntry, job: ArticleJob, stats: ExtractionStats
) -> None:
    settings = job.run.settings
    loaded = read_input(str(item.path), max_bytes=settings.max_input_bytes, regular_only=True)
    # source.name: the stable key, not a bare name; source.path: where it was read from
    source = ArticleSource(item.key, loaded.data, loaded.provenance.overridden_by(item.given))
    target = job.out_dir / item.output_name
    document: CleanedDocument | None = None
    if not job.force:
        current, document = output_is_current(target, source, job.run, job.known)
        if current and await asyncio.to_thread(refresh_provenance, target, source):
            entry.status, entry.cache_hit = Status.WRITTEN, True  # no request: see below
            return
        if current:
            entry.status = Status.SKIPPED
            note_grounding(entry, read_checks(target), strict_level(settings.strict))
            return
    check_output_target(target, follow_symlinks=False)  # before paying for an answer
    if document is None:  # cleaned before taking a slot: in a worker, ahead of the requests
        document = await job.run.stage(clean_stage, source.data, source.name)
    async with job.slots:  # held to the end: a failed write stops the run before the next
        if job.stop.is_set():
            return  # stopped while it was cleaned: not started
        await _summarise_and_write(source, document, target, entry, job, stats)


async def _summarise_and_write(
    source: ArticleSource, document: CleanedDocument, target: Path, entry: ArticleEntry,
    job: ArticleJob, stats: ExtractionStats,
) -> None:  # fmt: skip
    # fsync can take milliseconds: in a worker process (with the record) or a thread, it does
    # not hold up the other articles' requests
    in_workers = job.run.workers is not None
    outcome = await summarise_article(source, job.run, stats, document,
                                      write_to=target if in_workers else None)  # fmt: skip
    if in_workers:
        failure = outcome.write_failure
    else:
        failure = await asyncio.to_thread(write_stage, job.run, target, outcome.data)
    if failure is not None:
        error = OutputError(failure[0], disk_level=failure[1])
        raise answer_kept(error, outcome, source.name, job.run.settings) from None
    job.known.remember(target.name, _sha256(source.data), outcome.record["source"]["sha256"])
    entry.status, entry.cache_hit = Status.WRITTEN, outcome.cache_hit
    entry.chunks = outcome.chunks
    log.info("%s: %d chunk(s), %d model call(s), %d request(s)%s", source.name, outcome.chunks,
             stats.model_calls, stats.http_attempts,
             " (from the cache)" if outcome.cache_hit else "")  # fmt: skip
    note_grounding(entry, outcome.record["checks"], strict_level(job.run.settings.strict))
    entry.warning = outcome.warning


def output_is_current(
    target: Path, source: ArticleSource, run: RunContext, known: CleanedHashes
) -> tuple[bool, CleanedDocument | None]:
    """Whether the output is current, and the cleaned document when deciding took cleaning
    (so the article is not cleaned twice when it must be redone)."""
    try:
        record = json.loads(read_plain_file(target))  # a FIFO planted in DIR cannot block
        fingerprint = (record["source"]["sha256"], record["schema"]["sha256"],
                       record["prompt"]["sha256"], record["model"])  # fmt: skip
        if not isinstance(record.get("result"), dict) or not isinstance(record.get("checks"), dict):
            return False, None
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return False, None  # missing, unreadable or corrupt: redo it
    raw_sha256 = _sha256(source.data)
    text_sha256 = known.text_sha256(target.name, raw_sha256)
    document = None
    if text_sha256 is None:
        document = clean_document(source.data, source.name, max_bytes=run.settings.max_input_bytes)
        text_sha256 = cleaned_text_sha256(document.text)
        known.remember(target.name, raw_sha256, text_sha256)
    current = (text_sha256, run.schema.sha256, run.prompt.sha256, run.settings.model)
    return fingerprint == current, document


def refresh_provenance(target: Path, source: ArticleSource) -> bool:
    """Rewrite a current v2 output whose provenance is out of date (the run's working
    directory moved, or a manifest's title/url/published changed): the answer is unchanged,
    so no request is made. A value no longer given is kept. True when rewritten."""
    try:
        record = json.loads(read_plain_file(target))
    except (OSError, ValueError, RecursionError):
        return False
    if not isinstance(record, dict) or record.get("format_version") != FORMAT_VERSION:
        return False  # v1 outputs stay as they are (docs/output.md)
    recorded, given = record["source"], source.provenance
    wanted = {"path": given.path, "title": given.title, "url": given.url,
              "published": given.published}  # fmt: skip
    changes = {key: value for key, value in wanted.items()
               if value is not None and recorded.get(key) != value}  # fmt: skip
    if not changes:
        return False
    recorded.update(changes)
    write_output(target, render_json(record), follow_symlinks=False)
    return True


def _named_by_key(message: str, item: BatchItem) -> str:
    """Errors about the file name it by the path it was read from; the run names articles by
    their key: one name, said once ('world/talks.txt: the article is empty')."""
    prefix = f"{item.path}: "
    return f"{item.key}: {message.removeprefix(prefix)}" if message.startswith(prefix) else message


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
