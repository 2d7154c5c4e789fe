"""The one place provider-batch code meets the model layer (request building, answer checks,
re-asks, transport retries). When that layer moves, only this module changes.

- `online_request_body`: the exact Chat Completions body the online path sends for an article
  (what `extract` passes to `ChatClient.complete` on its first attempt).
- `accept_answer`: a Chat Completions response body (from a provider batch's output file) turned
  into the accepted result, re-asking online, as `extract` would, when it fails validation or
  grounding; the re-asks are bounded by `max_reasks` and rebuilt from the original messages.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from agent.extract import ExtractionStats, ReaskBudget, check_answer
from agent.mode import answer_from_completion, request_options
from agent.pipeline import RunContext
from agent.reask import reask_messages

log = logging.getLogger(__name__)
T = TypeVar("T")


def online_request_body(run: RunContext, messages: list[dict[str, str]]) -> dict[str, Any]:
    """The first request `extract` would send for these rendered messages."""
    options = request_options(run.mode, run.schema.name, run.schema.json_schema, messages)
    return {**run.model_request(), **options}


def count_usage(stats: ExtractionStats, body: dict[str, Any]) -> None:
    """Add one answer's usage (a batch answer: no HTTP attempt of ours) to `stats`."""
    from agent.llm import Completion

    stats.add(Completion(body=body, http_attempts=0))


async def accept_answer(
    run: RunContext,
    messages: list[dict[str, str]],
    article: str,
    body: dict[str, Any],
    online_stats: ExtractionStats,
) -> dict[str, Any]:
    """The accepted result for `body`; raises the online path's errors (InvalidAnswer, ...)."""
    original = request_options(run.mode, run.schema.name, run.schema.json_schema, messages)
    budget = ReaskBudget(validation_left=run.settings.max_reasks)
    while True:
        answer = answer_from_completion(run.mode, body)
        check = check_answer(answer.text, run.schema, article)
        problems = budget.problems_to_reask(check)
        if not problems:
            assert check.result is not None  # hard errors never reach here
            return check.result
        log.info("re-asking online: %d problem(s), first: %s", len(problems), problems[0])
        current = reask_messages(original["messages"], answer, problems)
        client = await run.client()
        completion = await client.complete({**run.model_request(), **original,
                                            "messages": current})  # fmt: skip
        online_stats.add(completion)
        body = completion.body


async def with_transport_retries(
    run: RunContext, call: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any
) -> T:
    """`call` under the run's transport retry policy (retry.py owns that retry class)."""
    from agent.retry import transport_retrying

    s = run.settings
    retrying = transport_retrying(s.retry_attempts, s.retry_max_seconds, s.retry_initial_wait)
    result: T = await retrying(call, *args, **kwargs)
    return result


def describe_sdk_error(error: Exception, where: str) -> str:
    """One line for an SDK failure of a Files/Batches call (no key, no traceback)."""
    import openai

    if isinstance(error, openai.APIStatusError):
        return f"{where} answered HTTP {error.status_code}: {error.message}"
    if isinstance(error, openai.APIConnectionError):
        return f"cannot reach {where}: {error.__cause__ or error}"
    return f"{where}: {error}"
