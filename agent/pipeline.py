"""The pipeline, top to bottom: load, clean, render prompt, call the model, validate and repair,
ground the quotes, cache, write. `summarise_article` is the whole flow for one article;
single_article.py's `run_one` is what `summarise FILE` does with it. Batch runs share one
RunContext.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from summarise_agent.cache import AnswerStore, CacheKey, default_cache_dir, open_answer_store
from summarise_agent.chunked import check_chunk_settings, plan_chunks, summarise_in_chunks
from summarise_agent.chunking import ChunkPlan
from summarise_agent.cleaning import CleanedDocument
from summarise_agent.config import Settings, checked_api_key
from summarise_agent.errors import (
    ConfigError,
    InputTooLarge,
    UsageError,
)
from summarise_agent.extract import AnswerCheck, ExtractionStats, extract
from summarise_agent.grounding_report import GroundingReport, Unverified
from summarise_agent.load import (
    ArticleSource,
)
from summarise_agent.model.budget import output_token_cap
from summarise_agent.model.dialects import DIALECTS, Dialect, ModelSettings, candidate_dialects
from summarise_agent.model.probe import ServerMemory, family_by_host, probe_family
from summarise_agent.prompts import PromptVersion, load_prompt
from summarise_agent.record import Provenance, text_sha256
from summarise_agent.schema_registry import SchemaSpec, load_schema
from summarise_agent.stages import (
    Offload,
    WriteFailure,
    check_stage,
    clean_stage,
    record_stage,
)
from summarise_agent.tokens import estimate_text_tokens

if TYPE_CHECKING:
    from summarise_agent.model.client import ModelClient
    from summarise_agent.model.transport import RequestLimiter, Transport

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Endpoint:
    replay_dir: Path | None = None  # answer from recordings instead of an endpoint
    record_dir: Path | None = None  # save every response for a later --replay
    transport: Transport | None = None  # answer in-process (agent/model/double.py), no HTTP


@dataclass(frozen=True)
class ArticleResult:
    record: dict[str, Any]
    data: bytes  # the output file's exact bytes
    cache_hit: bool
    stats: ExtractionStats  # requests and tokens: for logs and run reports, not the file
    unverified: list[Unverified] = field(default_factory=list)  # fuzzy or not found claims
    warning: str | None = None  # cleaning's probable-truncation warning (CleanedDocument)
    in_cache: bool = False  # the answer is in the cache: a failed write loses nothing
    chunks: int = 1  # requests the article was split into (1: not split)
    write_failure: WriteFailure | None = None  # summarise_article(write_to=...): why it failed


async def summarise_article(
    source: ArticleSource,
    run: RunContext,
    stats: ExtractionStats | None = None,
    document: CleanedDocument | None = None,
    write_to: Path | None = None,
) -> ArticleResult:
    """One article through the whole pipeline. Pass `stats` to keep the counts of a failure,
    `document` when the caller has already cleaned `source` (batch skip checks do), and
    `write_to` to have the output written where the record is made (ArticleResult says if
    that failed)."""
    stats = stats or ExtractionStats()
    if document is None:
        document = await run.stage(clean_stage, source.data, source.name)
    if document.warning:
        log.warning("%s", document.warning)
    answer, cache_hit, in_cache, plan = await _answer_article(run, source.name, document.text,
                                                              stats)  # fmt: skip
    provenance = document_provenance(document).overridden_by(source.provenance)
    record, data, unverified, failure = await run.stage(
        record_stage, source.name, provenance, document.text, answer, run.record_settings(),
        plan.settings() if plan else None, write_to,
    )  # fmt: skip
    chunks = len(plan.chunks) if plan else 1
    return ArticleResult(record, data, cache_hit, stats, unverified, document.warning, in_cache,
                         chunks, failure)  # fmt: skip


async def _answer_article(
    run: RunContext, name: str, text: str, stats: ExtractionStats
) -> tuple[GroundingReport | dict[str, Any], bool, bool, ChunkPlan | None]:
    """One request for the whole article, or one per chunk merged (docs/pipeline.md): the
    accepted result (grounded only when it was answered in chunks), whether it came from the
    cache and is in it, and the chunk plan."""
    context = run.settings.context_tokens
    needed = run.tokens_needed(text)
    plan = plan_chunks(
        text, name=name, context=context, fits=needed <= context,
        room=context - run.tokens_needed(""),
        chunk_tokens=run.settings.chunk_tokens, overlap=run.settings.chunk_overlap_tokens,
    )  # fmt: skip
    if plan is None:
        run.refuse_over_context(name, needed)
        result, cache_hit, in_cache = await run.answer(text, stats)
        return result, cache_hit, in_cache, None
    log.info("%s: %d chunks of at most %d tokens, overlapping by %d", name, len(plan.chunks),
             plan.chunk_tokens, plan.overlap_tokens)  # fmt: skip

    stored: list[bool] = []

    async def answer_chunk(chunk_text: str, chunk_plan: ChunkPlan) -> tuple[dict[str, Any], bool]:
        result, cache_hit, in_cache = await run.answer(chunk_text, stats, chunk_plan)
        stored.append(in_cache)
        return result, cache_hit

    grounding, cache_hit = await summarise_in_chunks(
        plan, text, answer_chunk, run.settings.concurrency, run.schema.model
    )
    return grounding, cache_hit, all(stored), plan


def document_provenance(document: CleanedDocument) -> Provenance:
    """What a page says about itself: an HTML page's title, canonical URL and date. A plain
    text's first line is only a guess at a headline, so it is not recorded as the title."""
    if document.media_type != "text/html":
        return Provenance()
    return Provenance(title=document.title, url=document.url, published=document.date)


class RunContext:
    """What the articles of one run share: schema, prompt, dialect, cache, and the model client
    (made on first use, so a run served from the cache needs no API key and no endpoint)."""

    def __init__(
        self, settings: Settings, endpoint: Endpoint, limiter: RequestLimiter | None = None
    ) -> None:
        self.settings = settings
        self.endpoint = endpoint
        self.limiter = limiter
        self.schema: SchemaSpec = load_schema(settings.schema)
        self.prompt: PromptVersion = load_prompt(
            self.schema.model.prompt_name, settings.prompt_version
        )
        if self.prompt.schema not in ("*", self.schema.name):
            prompt = f"prompt {self.prompt.name} v{self.prompt.version}"
            raise UsageError(f"{prompt} is not for schema {self.schema.name}")
        self.max_output_tokens = settings.max_output_tokens or output_token_cap(
            self.schema.bounded_json_schema
        )
        check_chunk_settings(settings.chunk_tokens, settings.chunk_overlap_tokens)
        self.cache: AnswerStore | None = open_answer_store(settings)
        self._memory = ServerMemory(settings.cache_dir or default_cache_dir())
        self._candidates: list[Dialect] | None = None
        self._model: ModelClient | None = None
        self._replay_server: Any = None
        self.workers: Offload | None = None  # CPU stages run here unless a batch run sets it

    async def stage(self, work: Callable[..., T], /, *args: Any) -> T:
        """`work(self, *args)`: in a worker process when the run has them, else here."""
        if self.workers is None:
            return work(self, *args)
        return await self.workers(work, *args)

    async def check(self, text: str, schema: SchemaSpec, article: str) -> AnswerCheck:
        """check_answer for `extract`, as a stage (the schema is the run's)."""
        assert schema is self.schema
        return await self.stage(check_stage, text, article)

    @property
    def dialect(self) -> Dialect:
        """The dialect requests are sent in now (a rejected one moves it to the next)."""
        return self._model.dialect if self._model else self.candidate_dialects()[0]

    def model_settings(self) -> tuple[tuple[str, Any], ...]:
        s = self.settings
        values = {"mode": s.mode, "dialect": self.dialect.name, "temperature": s.temperature,
                  "seed": s.seed, "max_output_tokens": self.max_output_tokens,
                  "max_reasks": s.max_reasks, **self.dialect.answer_settings}  # fmt: skip
        return tuple(sorted(values.items()))

    def record_settings(self) -> dict[str, Any]:
        """The output's `settings` block: how the answer was asked for (docs/output.md)."""
        s = self.settings
        return {"mode": s.mode, "dialect": self.dialect.name, "temperature": s.temperature,
                "seed": s.seed, "max_output_tokens": self.max_output_tokens}  # fmt: skip

    def cache_key(self, text: str, chunking: ChunkPlan | None = None) -> CacheKey:
        """A chunk's key also holds the chunk settings (text: the chunk's)."""
        settings = self.model_settings()
        if chunking is not None:
            split = {"chunk_tokens": chunking.chunk_tokens,
                     "overlap_tokens": chunking.overlap_tokens}  # fmt: skip
            settings = tuple(sorted((*settings, ("chunking", tuple(sorted(split.items()))))))
        return CacheKey(
            text_sha256(text), self.schema.sha256, self.prompt.sha256, self.settings.model,
            settings,
        )  # fmt: skip

    def candidate_dialects(self) -> list[Dialect]:
        """The dialects to try, best first: a forced one, else by server family (probed once
        per base URL and remembered), starting at the one a past fallback settled on."""
        if self._candidates is None:
            self._candidates = self._resolve_candidates()
        return self._candidates

    def _resolve_candidates(self) -> list[Dialect]:
        s = self.settings
        if s.dialect:
            if s.dialect not in DIALECTS:
                known = ", ".join(DIALECTS)
                raise UsageError(f"unknown dialect {s.dialect!r}: use one of {known}")
            return [DIALECTS[s.dialect]]
        family = "unknown" if self.endpoint.replay_dir or self.endpoint.transport else None
        server = s.base_url or "https://api.openai.com/v1"
        family = family or family_by_host(s.base_url) or self._memory.family(server)
        if family is None:
            family = probe_family(server, s.api_key, s.connect_timeout)
            if family is not None:
                self._memory.remember(server, family=family)
        candidates = candidate_dialects(family or "unknown", s.mode, s.model)
        remembered = self._memory.dialect(server, f"{s.model}|{s.mode}")
        names = [dialect.name for dialect in candidates]
        return candidates[names.index(remembered) :] if remembered in names else candidates

    def _remember_fallback(self, dialect: Dialect) -> None:
        if not (self.endpoint.replay_dir or self.endpoint.transport):
            server = self.settings.base_url or "https://api.openai.com/v1"
            choice = f"{self.settings.model}|{self.settings.mode}"
            self._memory.remember(server, choice=choice, dialect=dialect.name)

    def cached_answer(self, key: CacheKey) -> dict[str, Any] | None:
        """The cached answer when it is still a valid result of this schema; anything else
        (a row damaged or written by other code) is a miss, logged, never an output."""
        row = self.cache.get(key) if self.cache else None
        if row is None:
            return None
        try:
            valid = self.schema.model.model_validate(row).model_dump(mode="json") == row
        except (ValueError, TypeError):
            valid = False
        if not valid:
            log.warning("a cached answer does not match schema %s: ignored, asking again",
                        self.schema.name)  # fmt: skip
            return None
        return row

    def store_answer(self, key: CacheKey, result: dict[str, Any]) -> bool:
        """Cache the answer; False (logged) when the cache cannot take it: the run goes on."""
        return self.cache.put(key, result) if self.cache else False

    async def answer(
        self, text: str, stats: ExtractionStats, chunking: ChunkPlan | None = None
    ) -> tuple[dict[str, Any], bool, bool]:
        """The accepted answer for an article's (or a chunk's) text, from the cache or one
        extraction; whether it came from the cache, and whether it is in the cache now."""
        cached = self.cached_answer(self.cache_key(text, chunking)) if self.cache else None
        if cached is not None:
            return cached, True, True
        model = await self.model()
        result = await extract(model, self.prompt.render(text), self.schema, text,
                               self.settings.max_reasks, stats, self.check)  # fmt: skip
        if self.cache is None:
            return result, False, False
        # keyed by the dialect that answered: a fallback may have changed it
        return result, False, self.store_answer(self.cache_key(text, chunking), result)

    def tokens_needed(self, text: str) -> int:
        """What a request for this article (or chunk) text needs, answer budget included."""
        return self._tokens_needed(self.prompt.render(text))

    def _tokens_needed(self, messages: list[dict[str, str]]) -> int:
        prompt = "".join(message["content"] for message in messages)
        return estimate_text_tokens(prompt + self._schema_text) + self.max_output_tokens

    @cached_property
    def _schema_text(self) -> str:  # counted in every request's tokens: serialised once
        return json.dumps(self.schema.bounded_json_schema)

    def fits_context(self, messages: list[dict[str, str]]) -> bool:
        """Whether the model can read this prompt whole, with room for the answer."""
        return self._tokens_needed(messages) <= self.settings.context_tokens

    def check_fits_context(self, name: str, messages: list[dict[str, str]]) -> None:
        """Refuse, before any request, a prompt the model cannot read whole: never a silent cut."""
        self.refuse_over_context(name, self._tokens_needed(messages))

    def refuse_over_context(self, name: str, needed: int) -> None:
        """InputTooLarge when a request needing NEEDED tokens (answer included) cannot fit."""
        if needed > self.settings.context_tokens:
            raise InputTooLarge(
                f"{name}: the article needs about {needed:,} tokens with the prompt and the "
                f"answer ({self.max_output_tokens:,} of them), over the model's context window of "
                f"{self.settings.context_tokens:,} (set SUMMARISE_CONTEXT_TOKENS for a larger "
                "model, lower --max-output-tokens, or split the article)"
            )

    def request_settings(self) -> ModelSettings:
        """What every request of the run carries besides the messages."""
        s = self.settings
        return ModelSettings(s.model, s.temperature, s.seed, self.max_output_tokens)

    async def model(self) -> ModelClient:
        if self._model is None:
            from summarise_agent.model.client import ModelClient

            s = self.settings
            self._model = ModelClient(
                self._make_transport(), self.request_settings(), self.candidate_dialects(),
                mode=s.mode, on_fallback=self._remember_fallback,
            )  # fmt: skip
        return self._model

    def _make_transport(self) -> Transport:
        from summarise_agent.model.retry import RetryPolicy
        from summarise_agent.model.transport import HttpTransport

        if self.endpoint.transport is not None:
            return self.endpoint.transport
        s = self.settings
        base_url, api_key = s.base_url, s.api_key
        if self.endpoint.replay_dir is not None:
            base_url, api_key = self._start_replay_server(self.endpoint.replay_dir), "replay"
        if not api_key:
            raise ConfigError(
                "no API key: set OPENAI_API_KEY (for a local server that ignores keys, any value)"
            )
        api_key = checked_api_key(api_key)
        retry = RetryPolicy(s.retry_attempts, s.retry_max_seconds, s.retry_initial_wait,
                            s.connect_timeout)  # fmt: skip
        return HttpTransport(api_key=api_key, base_url=base_url, read_timeout=s.timeout,
                             retry=retry, record_dir=self.endpoint.record_dir,
                             limiter=self.limiter)  # fmt: skip

    def _start_replay_server(self, directory: Path) -> str:
        from summarise_agent.localserver import LocalChatServer
        from summarise_agent.replay import replay_responder

        if not directory.is_dir():
            raise UsageError(f"--replay {directory}: no such directory")
        self._replay_server = LocalChatServer(replay_responder(directory)).__enter__()
        return str(self._replay_server.base_url)

    async def aclose(self) -> None:
        if self._model is not None:
            await self._model.close()
        if self._replay_server is not None:
            self._replay_server.__exit__(None, None, None)
        if self.cache is not None:
            self.cache.close()
