"""The chunked path for an article too long for one request (or split on request).

Each chunk is asked exactly as a whole article would be (same prompt, schema, re-asks, and
its own cache entry), concurrently within a bound, through the run's one client and rate
limiter. The answers are merged (agent/merge.py), fitted to the schema's bounds
(agent/schema_fit.py) and grounded against the whole article, offsets into it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel

from summarise_agent.chunking import Chunk, ChunkPlan, split_text
from summarise_agent.errors import InputTooLarge, UsageError
from summarise_agent.grounding_report import GroundingReport, ground_result
from summarise_agent.merge import merge_results, order_by_evidence
from summarise_agent.schema_fit import fit_to_schema

log = logging.getLogger(__name__)

MIN_CHUNK_TOKENS = 64  # below this a chunk holds a sentence or two: the context is too small

# (chunk text, chunk plan) -> (accepted answer, answered from the cache)
AnswerChunk = Callable[[str, ChunkPlan], Awaitable[tuple[dict[str, Any], bool]]]


def check_chunk_settings(chunk_tokens: int | None, overlap: int) -> None:
    """Refuse impossible chunk settings before any article is read."""
    if chunk_tokens is not None and chunk_tokens < MIN_CHUNK_TOKENS:
        raise UsageError(f"chunk_tokens must be at least {MIN_CHUNK_TOKENS}, not {chunk_tokens}")
    if overlap < 0:
        raise UsageError(f"chunk_overlap_tokens must be 0 or more, not {overlap}")


def plan_chunks(
    text: str, *, name: str, context: int, fits: bool, room: int, chunk_tokens: int | None,
    overlap: int,
) -> ChunkPlan | None:  # fmt: skip
    """None when one request will do, else the chunks.

    `fits`: the whole article's request fits the context; `room`: the tokens the context
    leaves for article text beside the prompt, schema and answer budget; `chunk_tokens`:
    --chunk-tokens (None: split only an article that does not fit, into chunks as large as
    fit). An overlap over half a chunk is cut to half (the record says what was used)."""
    if chunk_tokens is None and fits:
        return None
    if chunk_tokens is not None and chunk_tokens > room:
        raise UsageError(
            f"--chunk-tokens {chunk_tokens:,} does not fit the model's context: the prompt and "
            f"the answer budget leave room for {max(room, 0):,} tokens of article"
        )
    size = chunk_tokens or room
    if size < MIN_CHUNK_TOKENS:
        raise InputTooLarge(
            f"{name}: the article does not fit the model's context window of {context:,} "
            f"tokens, and the prompt and the answer budget leave {max(room, 0):,} beside it: "
            "too few to read it even in chunks (set SUMMARISE_CONTEXT_TOKENS for a larger model)"
        )
    plan = split_text(text, size, min(overlap, size // 2))
    return plan if len(plan.chunks) > 1 else None


async def summarise_in_chunks(
    plan: ChunkPlan, text: str, answer_chunk: AnswerChunk, concurrency: int,
    schema: type[BaseModel],
) -> tuple[GroundingReport, bool]:  # fmt: skip
    """The merged, grounded result of every chunk, and whether all came from the cache."""
    answers = await _answer_all(plan, answer_chunk, concurrency)
    merged = merge_results([answer for answer, _ in answers])
    for note in fit_to_schema(merged.result, schema):
        log.warning("merged chunks: %s", note)
    grounding = ground_result(merged.result, text)
    ordered = dataclasses.replace(grounding, result=order_by_evidence(grounding.result))
    return ordered, all(hit for _, hit in answers)


async def _answer_all(
    plan: ChunkPlan, answer_chunk: AnswerChunk, concurrency: int
) -> list[tuple[dict[str, Any], bool]]:
    """Every chunk's answer, in chunk order. A failure is raised only once every request has
    ended, so the answers already paid for are in the cache for the next run."""
    semaphore = asyncio.Semaphore(max(1, concurrency))

    async def one(chunk: Chunk) -> tuple[dict[str, Any], bool]:
        async with semaphore:
            return await answer_chunk(chunk.text, plan)

    outcomes = await asyncio.gather(*(one(chunk) for chunk in plan.chunks),
                                    return_exceptions=True)  # fmt: skip
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return [outcome for outcome in outcomes if not isinstance(outcome, BaseException)]
