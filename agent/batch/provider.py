"""`summarise batch --provider-batch`: the articles go to the provider's Batch API (half price,
answers within 24 hours) instead of one request each. docs/batch.md, "Provider batches".

Each run makes one pass (or, with `--wait`, passes until no batch is left in flight):
1. advance every tracked batch: finish an interrupted upload or create, poll the submitted
   ones, and collect those that ended: each answer is checked exactly as the online path
   checks it (re-asked online when it fails validation or grounding, bounded by max_reasks)
   and the accepted result goes into the answer cache;
2. write the output of every article whose answer is now in the cache, through the online
   path itself (a cache hit: the same bytes an online run writes);
3. submit what is left (new articles, and requests lost from expired batches or in the error
   file, up to MAX_PROVIDER_ATTEMPTS), one request per distinct cache key.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from summarise_agent.batch.article import ArticleJob, output_is_current, process_article
from summarise_agent.batch.inputs import BatchItem
from summarise_agent.batch.model_adapter import accept_answer, count_usage, online_request_body
from summarise_agent.batch.provider_api import BATCH_ENDPOINT, TERMINAL, ProviderApi, RemoteBatch
from summarise_agent.batch.provider_state import ProviderState, TrackedBatch
from summarise_agent.batch.report import ArticleEntry, Status
from summarise_agent.cache import CacheKey
from summarise_agent.cleaning import clean_document
from summarise_agent.errors import ConfigError, ExitCode, SummariseError
from summarise_agent.extract import ExtractionStats
from summarise_agent.load import ArticleSource, read_input
from summarise_agent.output import write_atomically

log = logging.getLogger(__name__)

MAX_PROVIDER_ATTEMPTS = 3  # batches a request may be lost from before it is reported failed
MAX_REQUESTS_PER_BATCH = 50_000  # OpenAI's limit per batch
MAX_BYTES_PER_BATCH = 190_000_000  # OpenAI's input file limit is 200 MB
_RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})
_DONE = (Status.WRITTEN, Status.SKIPPED, Status.FAILED)


@dataclass
class Planned:
    """One article of the run, cleaned and rendered, waiting for its answer."""

    item: BatchItem
    entry: ArticleEntry
    messages: list[dict[str, str]]
    article: str  # the cleaned text: what answers are checked and grounded against
    key: CacheKey


@dataclass
class Spent:
    batch: ExtractionStats  # the batch answer, priced at the batch rate
    online: ExtractionStats  # online re-asks, at the normal rate
    batch_id: str


class ProviderRun:
    def __init__(self, job: ArticleJob, state: ProviderState, api: ProviderApi,
                 notes: list[str], say: Callable[[str], None]) -> None:  # fmt: skip
        self.job, self.state, self.api, self.notes, self.say = job, state, api, notes, say
        self.run = job.run
        self.planned: dict[str, list[Planned]] = {}  # by custom_id (the cache key's digest)
        self.spent: dict[str, Spent] = {}
        self.unmatched = 0  # answers for requests no input of this run asked
        self.too_long: list[tuple[BatchItem, ArticleEntry]] = []  # asked online, in chunks

    def plan(self, items: list[BatchItem], entries: list[ArticleEntry]) -> None:
        for item, entry in zip(items, entries, strict=True):
            try:
                planned = self._plan_one(item, entry)
            except SummariseError as error:
                entry.fail(Status.FAILED, error.message, error.exit_code.name.lower())
                continue
            if planned is not None:
                self.planned.setdefault(planned.key.digest, []).append(planned)

    def _plan_one(self, item: BatchItem, entry: ArticleEntry) -> Planned | None:
        settings = self.run.settings
        loaded = read_input(str(item.path), max_bytes=settings.max_input_bytes)
        source = ArticleSource(item.key, loaded.data)
        document = None
        if not self.job.force:
            current, document = output_is_current(self.job.out_dir / item.output_name, source,
                                                  self.run, self.job.known)  # fmt: skip
            if current:
                entry.status = Status.SKIPPED
                return None
        if document is None:
            document = clean_document(source.data, source.name, max_bytes=settings.max_input_bytes)
        messages = self.run.prompt.render(document.text)
        if not self.run.fits_context(messages):
            # a batch request holds one whole article: one too long for the model's context
            # is split into chunks and asked online, as a run without --provider-batch does
            self.too_long.append((item, entry))
            return None
        return Planned(item, entry, messages, document.text, self.run.cache_key(document.text))

    async def answer_too_long_online(self) -> None:
        """The articles too long for one request, in chunks through the online path (at the
        online price; refused there, with the reason, when they cannot be split)."""
        if not self.too_long:
            return
        await asyncio.gather(*(process_article(item, entry, self.job)
                               for item, entry in self.too_long))  # fmt: skip
        self.notes.append(f"{len(self.too_long)} article(s) too long for one request: split "
                          "into chunks and asked online, at the online price")  # fmt: skip

    async def one_pass(self) -> None:
        for batch in list(self.state.batches):
            await self._advance(batch)
        await self._write_answered()
        await self._submit_missing()
        in_flight = self.state.in_flight()
        for custom_id, group in self.planned.items():
            for planned in group:
                if planned.entry.status not in _DONE and custom_id in in_flight:
                    planned.entry.status = Status.PENDING

    async def _advance(self, batch: TrackedBatch) -> None:
        if batch.stage == "prepared":
            path = self._requests_file(batch)
            if not path.is_file():  # lost before upload: its requests are simply sent again
                self.notes.append(f"requests file of {batch.local_id} missing: sent again")
                self.state.forget(batch)
                self.state.save()
                return
            batch.file_id = await self.api.upload(f"summarise-{batch.local_id}.jsonl",
                                                  path.read_bytes())  # fmt: skip
            batch.stage = "uploaded"
            self.state.save()
        if batch.stage == "uploaded":
            assert batch.file_id is not None
            remote = await self.api.find_or_create(batch.file_id, batch.local_id,
                                                   batch.prepared_at)  # fmt: skip
            batch.batch_id, batch.stage, batch.status = remote.id, "submitted", remote.status
            self.state.save()
            self.say(f"submitted provider batch {remote.id}: {len(batch.custom_ids)} requests")
        assert batch.batch_id is not None
        remote = await self.api.retrieve(batch.batch_id)
        batch.status = remote.status
        if remote.status in TERMINAL:
            await self._collect(batch, remote)
        else:
            done = remote.counts.get("completed", 0) + remote.counts.get("failed", 0)
            self.say(f"provider batch {remote.id}: {remote.status}, {done} of "
                     f"{remote.counts.get('total', len(batch.custom_ids))} done")  # fmt: skip

    async def _collect(self, batch: TrackedBatch, remote: RemoteBatch) -> None:
        answered: set[str] = set()
        if remote.output_file_id:
            lines = await self._download(batch, remote.output_file_id, "output")
            taken = await self._take_answers(lines, remote.id)
            answered = {str(line.get("custom_id")) for line, ok in zip(lines, taken, strict=True)
                        if ok}  # fmt: skip
        refused: dict[str, tuple[str, bool]] = {}
        if remote.error_file_id:
            for line in await self._download(batch, remote.error_file_id, "errors"):
                refused[str(line.get("custom_id"))] = _error_reason(line)
        why = f"provider batch {remote.id} {remote.status}"
        if remote.errors:
            why += f": {remote.errors[0]}"
        given_up = remote.status in ("cancelled", "failed")  # by the user, or a bad file
        resent = 0
        for custom_id in batch.custom_ids:
            if custom_id not in answered:
                reason, retryable = refused.get(custom_id, (why, True))
                resent += self._lost(custom_id, why if given_up else reason,
                                     retryable and not given_up)  # fmt: skip
        if resent:
            self.notes.append(f"{why}: {resent} request(s) not answered, to be sent again")
        self.say(f"collected provider batch {remote.id} ({remote.status}): "
                 f"{len(answered)} of {len(batch.custom_ids)} answered")  # fmt: skip
        self.state.forget(batch)
        self.state.save()
        if not self.unmatched:  # every answer is in the cache now; else keep the download
            for path in self.state.work_dir().glob(f"{batch.local_id}.*"):
                path.unlink(missing_ok=True)

    async def _download(self, batch: TrackedBatch, file_id: str, kind: str) -> list[Any]:
        data = await self.api.content(file_id)
        # kept until collected, so answers paid for survive a crash while they are checked
        write_atomically(self.state.work_dir() / f"{batch.local_id}.{kind}.jsonl", data,
                         mode=0o600)  # fmt: skip
        lines = []
        for raw in data.splitlines():
            try:
                line = json.loads(raw)
            except ValueError:
                continue
            if isinstance(line, dict):
                lines.append(line)
        return lines

    async def _take_answers(self, lines: list[Any], batch_id: str) -> list[bool]:
        """Check every answer, up to `concurrency` at once (an invalid one is re-asked online,
        a request each); a configuration error stops them all."""
        limit = asyncio.Semaphore(self.run.settings.concurrency)

        async def take(line: dict[str, Any]) -> bool:
            async with limit:
                try:
                    return await self._take_answer(line, batch_id)
                except ConfigError:
                    raise
                except Exception as error:  # a bug in one answer must not lose the others
                    self._fail(str(line.get("custom_id")),
                               f"internal error ({type(error).__name__}): {error}", "internal")
                    return True

        try:
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(take(line)) for line in lines]
        except* ConfigError as errors:
            raise errors.exceptions[0] from None
        return [task.result() for task in tasks]

    async def _take_answer(self, line: dict[str, Any], batch_id: str) -> bool:
        """Whether the line holds an answer (accepted or not) for one of our requests."""
        response = line.get("response") or {}
        body = response.get("body") if isinstance(response, dict) else None
        if not isinstance(body, dict) or response.get("status_code") != 200:
            return False
        custom_id = str(line.get("custom_id"))
        group = self.planned.get(custom_id)
        if not group:
            self.unmatched += 1  # its input changed or was not given this run
            return True
        first = group[0]
        spent = Spent(ExtractionStats(), ExtractionStats(), batch_id)
        count_usage(spent.batch, body)
        self.spent[custom_id] = spent
        try:
            result = await accept_answer(self.run, first.messages, first.article, body,
                                         spent.online)  # fmt: skip
        except ConfigError:
            raise
        except SummariseError as error:
            if error.exit_code is ExitCode.ANSWER:  # the same request would fail again
                self.state.blocked[custom_id] = error.message
            # else (the online re-ask's endpoint failed): not cached, so the next run resends it
            self._fail(custom_id, error.message, error.exit_code.name.lower())
            return True
        assert self.run.cache is not None  # --provider-batch requires the cache
        self.run.cache.put(first.key, result)
        return True

    def _lost(self, custom_id: str, reason: str, retryable: bool) -> bool:
        """Count a request lost from a batch; whether it may be sent again."""
        if retryable:
            self.state.attempts[custom_id] = self.state.attempts.get(custom_id, 0) + 1
            return True
        self.state.blocked[custom_id] = reason
        self._fail(custom_id, reason, "endpoint")
        return False

    def _fail(self, custom_id: str, reason: str, category: str) -> None:
        for planned in self.planned.get(custom_id, []):
            planned.entry.fail(Status.FAILED, reason, category)

    async def _write_answered(self) -> None:
        assert self.run.cache is not None
        for custom_id, group in self.planned.items():
            for position, planned in enumerate(group):
                if planned.entry.status in _DONE or self.run.cache.get(planned.key) is None:
                    continue
                await process_article(planned.item, planned.entry, self.job)  # a cache hit
                spent = self.spent.get(custom_id)
                if spent is not None and position == 0 and planned.entry.status is Status.WRITTEN:
                    planned.entry.add_provider_stats(spent.batch, spent.online, self.job.prices,
                                                     self.run.settings.model)  # fmt: skip
                    planned.entry.provider_batch = spent.batch_id

    async def _submit_missing(self) -> None:
        in_flight = self.state.in_flight()
        todo: list[str] = []
        for custom_id, group in self.planned.items():
            if all(p.entry.status in _DONE for p in group) or custom_id in in_flight:
                continue
            if custom_id in self.state.blocked:
                self._fail(custom_id, f"not sent again: {self.state.blocked[custom_id]} "
                                      "(--force sends it)", "endpoint")  # fmt: skip
            elif self.state.attempts.get(custom_id, 0) >= MAX_PROVIDER_ATTEMPTS:
                self._fail(custom_id, f"lost from {MAX_PROVIDER_ATTEMPTS} provider batches "
                                      "(expired or refused): --force sends it again", "endpoint")
            else:
                todo.append(custom_id)
        for chunk in self._chunks(todo):
            await self._advance(self._prepare(chunk))

    def _chunks(self, custom_ids: list[str]) -> list[list[tuple[str, bytes]]]:
        chunks: list[list[tuple[str, bytes]]] = []
        size = 0
        for custom_id in custom_ids:
            first = self.planned[custom_id][0]
            request = {"custom_id": custom_id, "method": "POST", "url": BATCH_ENDPOINT,
                       "body": online_request_body(self.run, first.messages)}  # fmt: skip
            line = json.dumps(request, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
            full = chunks and (len(chunks[-1]) >= MAX_REQUESTS_PER_BATCH
                               or size + len(line) > MAX_BYTES_PER_BATCH)  # fmt: skip
            if not chunks or full:
                chunks.append([])
                size = 0
            chunks[-1].append((custom_id, line))
            size += len(line)
        return chunks

    def _prepare(self, chunk: list[tuple[str, bytes]]) -> TrackedBatch:
        """Write the requests file, then record the batch: both before anything is sent."""
        local_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
        batch = TrackedBatch(local_id, "prepared", [custom_id for custom_id, _ in chunk],
                             time.time(), model=self.run.settings.model)  # fmt: skip
        write_atomically(self._requests_file(batch), b"".join(line for _, line in chunk),
                         mode=0o600)  # fmt: skip
        self.state.batches.append(batch)
        self.state.save()
        return batch

    def _requests_file(self, batch: TrackedBatch) -> Any:
        return self.state.work_dir() / f"{batch.local_id}.jsonl"


def _error_reason(line: dict[str, Any]) -> tuple[str, bool]:
    """What the error file says about one request, and whether sending it again may help."""
    response = line.get("response") if isinstance(line.get("response"), dict) else {}
    error = line.get("error") if isinstance(line.get("error"), dict) else None
    status = response.get("status_code") if response else None
    body = response.get("body") if response else None
    if error is None and isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
    message = str((error or {}).get("message") or "no reason given")
    retryable = status is None or status in _RETRYABLE_STATUS
    prefix = f"the provider refused it (HTTP {status})" if status else "the provider failed it"
    return f"{prefix}: {message}", retryable


@dataclass(frozen=True)
class ProviderOptions:
    wait: bool = False  # poll until no batch is left in flight
    poll_seconds: float = 30.0
    quiet: bool = False


async def provider_passes(
    items: list[BatchItem], entries: list[ArticleEntry], notes: list[str], job: ArticleJob,
    options: ProviderOptions,
) -> None:  # fmt: skip
    """The provider-batch run over `items`: entries end written, skipped, failed or pending."""
    import asyncio
    import contextlib

    from summarise_agent.batch.progress import print_summary

    state = ProviderState.load(job.out_dir)
    if job.force:
        state.reset()
    api = ProviderApi(job.run)
    say: Callable[[str], None] = (lambda text: None) if options.quiet else (
        lambda text: print_summary([text]))  # fmt: skip
    provider = ProviderRun(job, state, api, notes, say)
    try:
        provider.plan(items, entries)
        await provider.one_pass()  # the batch is submitted before the online work starts
        await provider.answer_too_long_online()
        while options.wait and state.batches and not job.stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(job.stop.requested.wait(), options.poll_seconds)
            await provider.one_pass()
        if provider.unmatched:
            notes.append(f"{provider.unmatched} answer(s) for articles that changed or were not "
                         f"given this run: kept in {state.work_dir()}")  # fmt: skip
    finally:
        await api.close()
