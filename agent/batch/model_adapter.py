"""The one place provider-batch code meets the model layer (request building, answer checks,
re-asks, transport retries). When that layer moves, only this module changes.

- `online_request_body`: the exact Chat Completions body the online path sends for an article
  (the run's dialect's first request, as `ModelClient.ask` sends it).
- `accept_answer`: a Chat Completions response body (from a provider batch's output file) turned
  into the accepted result, re-asking online, as `extract` would, when it fails validation or
  grounding; the re-asks are bounded by `max_reasks` and rebuilt from the original messages.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, TypeVar

from summarise_agent.extract import ExtractionStats, ReaskBudget, check_answer
from summarise_agent.model.answer import Answer, read_answer, read_usage
from summarise_agent.model.dialects import OutputMode
from summarise_agent.pipeline import RunContext
from summarise_agent.reask import feedback_text

log = logging.getLogger(__name__)
T = TypeVar("T")


def online_request_body(run: RunContext, messages: list[dict[str, str]]) -> dict[str, Any]:
    """The first request `extract` would send for these rendered messages."""
    return run.dialect.request(list(messages), run.schema, run.request_settings())


def count_usage(stats: ExtractionStats, body: dict[str, Any]) -> None:
    """Add one answer's usage (a batch answer: no HTTP attempt of ours) to `stats`."""
    stats.add(Answer(text="", usage=read_usage(body), finish="", http_attempts=0))


def batch_answer(run: RunContext, body: dict[str, Any]) -> Answer:
    """A provider batch's Chat Completions body read as the online path reads its answers."""
    dialect = run.dialect
    answer = read_answer(
        body, tools=dialect.mode is OutputMode.TOOLS, max_tokens=run.max_output_tokens
    )
    return replace(answer, http_attempts=0, dialect=dialect.name)


async def accept_answer(
    run: RunContext,
    messages: list[dict[str, str]],
    article: str,
    body: dict[str, Any],
    online_stats: ExtractionStats,
) -> dict[str, Any]:
    """The accepted result for `body`; raises the online path's errors (InvalidAnswer, ...)."""
    budget = ReaskBudget.for_max_reasks(run.settings.max_reasks)
    answer = batch_answer(run, body)
    while True:
        check = check_answer(answer.text, run.schema, article)
        problems = budget.problems_to_reask(check)
        if not problems:
            assert check.result is not None  # hard errors never reach here
            return check.result
        log.info("re-asking online: %d problem(s), first: %s", len(problems), problems[0])
        model = await run.model()
        answer = await model.reask(list(messages), run.schema, answer, feedback_text(problems))
        online_stats.add(answer)


async def with_transport_retries(
    run: RunContext, call: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any
) -> T:
    """`call` under the run's transport retry policy (model/retry.py owns that retry class)."""
    from summarise_agent.model.retry import RetryPolicy, transport_retrying

    s = run.settings
    policy = RetryPolicy(s.retry_attempts, s.retry_max_seconds, s.retry_initial_wait,
                         s.connect_timeout)  # fmt: skip
    result: T = await transport_retrying(policy)(call, *args, **kwargs)
    return result


def describe_sdk_error(error: Exception, where: str) -> str:
    """One line for an SDK failure of a Files/Batches call (no key, no traceback)."""
    import openai

    if isinstance(error, openai.APIStatusError):
        return f"{where} answered HTTP {error.status_code}: {error.message}"
    if isinstance(error, openai.APIConnectionError):
        return f"cannot reach {where}: {error.__cause__ or error}"
    return f"{where}: {error}"
