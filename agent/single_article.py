"""`summarise FILE`: one article through the pipeline (pipeline.py) to stdout or --output, its
unverified claims named on stderr, --strict failures raised after the output is written, and
a failed write that still keeps the paid answer (cache or rescue file)."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

from summarise_agent.cache import default_cache_dir
from summarise_agent.config import Settings
from summarise_agent.errors import OutputError, StrictCheckFailed
from summarise_agent.load import (
    STDIN_NAME,
    ArticleSource,
    InputDetails,
    given_provenance,
    output_target,
    read_input,
)
from summarise_agent.output import check_output_target, rescue_answer, write_output
from summarise_agent.pipeline import ArticleResult, Endpoint, RunContext, summarise_article
from summarise_agent.strict import (
    StrictLevel,
    failing,
    strict_failure_summary,
    strict_level,
    warn_unverified,
)

log = logging.getLogger(__name__)


def run_one(
    file: str, settings: Settings, endpoint: Endpoint, output: str | None,
    given: InputDetails | None = None,
) -> None:  # fmt: skip
    """`summarise FILE`: one article to stdout or --output; --strict failures exit after writing."""
    given = given or InputDetails()
    level = strict_level(settings.strict)  # a bad setting fails before any request
    provenance = given_provenance(given.title, given.url, given.published, "run")
    stdin_name = given.name or STDIN_NAME
    loaded = read_input(file, max_bytes=settings.max_input_bytes, stdin_name=stdin_name)
    target = output_target(output, file, given.name) if output is not None else None
    article = None if file == "-" else Path(file)
    if target is not None:  # refuse a target that can never be written before paying for it
        check_output_target(target, not_over=article)
    source = ArticleSource(
        given.name or loaded.name, loaded.data, loaded.provenance.overridden_by(provenance)
    )
    outcome = asyncio.run(_summarise_once(source, settings, endpoint))
    try:
        _deliver(outcome.data, target, article)
    except OutputError as error:
        raise answer_kept(error, outcome, source.name, settings) from None
    check_grounding(source.name, outcome, level)


def check_grounding(name: str, outcome: ArticleResult, level: StrictLevel) -> None:
    """Name every unverified claim on stderr; under --strict, exit 7 when any fails it."""
    checks = outcome.record["checks"]
    warn_unverified(name, outcome.unverified, checks, level)
    failures = failing(outcome.unverified, level)
    dangling = checks.get("dangling_actor_ids", 0) if level is not StrictLevel.OFF else 0
    if failures or dangling:
        flag = "--strict=exact" if level is StrictLevel.EXACT else "--strict"
        raise StrictCheckFailed(f"{flag}: {strict_failure_summary(failures, dangling)}")


def _deliver(data: bytes, output: Path | None, article: Path | None) -> None:
    if output is not None:
        write_output(output, data, not_over=article)
        return
    try:
        if sys.stdout is None:
            raise OutputError("stdout is closed")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as error:  # ValueError: a closed stream
        raise OutputError(f"stdout cannot be written ({getattr(error, 'strerror', None) or error})",
                          disk_level=True) from None  # fmt: skip


def answer_kept(
    error: OutputError, outcome: ArticleResult, name: str, settings: Settings
) -> OutputError:
    """The write failed after the answer came: say where the answer is, so nothing paid is lost."""
    if outcome.in_cache:
        where = "the answer is kept in the cache: re-run to write it without a new request"
    else:
        cache_dir = (settings.cache_dir or default_cache_dir()) if settings.cache else None
        rescued = rescue_answer(outcome.data, name, cache_dir)
        where = (f"the output was saved to {rescued}" if rescued
                 else "the answer could not be saved anywhere either")  # fmt: skip
    return OutputError(f"{error.message}; {where}", disk_level=error.disk_level)


async def _summarise_once(
    source: ArticleSource, settings: Settings, endpoint: Endpoint
) -> ArticleResult:
    run = RunContext(settings, endpoint)
    try:
        outcome = await summarise_article(source, run)
        if outcome.cache_hit:
            log.info("answered from the cache: no request made")
        else:
            stats = outcome.stats
            log.info("dialect %s; chunks: %d; model calls: %d; requests: %d; tokens: prompt %d, "
                     "completion %d, cached %d", stats.dialect, outcome.chunks, stats.model_calls,
                     stats.http_attempts, stats.prompt_tokens, stats.completion_tokens,
                     stats.cached_tokens)  # fmt: skip
        return outcome
    finally:
        await run.aclose()
