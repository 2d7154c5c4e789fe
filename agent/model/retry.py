"""Transport retries: the single owner of retrying 429, 408/409, 5xx, timeouts and dropped
connections (the SDK's own retries are off: max_retries=0).

Exponential backoff with jitter, or the server's Retry-After / retry-after-ms when it gives one,
bounded by a number of attempts and a total time budget. Not retried: a rejected request
(failures.py: it would fail again), and an unreachable endpoint beyond one quick second try.
A request that timed out after the server accepted it is retried at most once: a CPU server
cannot cancel a generation, so every restart queues behind the abandoned one.
"""

from __future__ import annotations

import email.utils
import logging
import math
import time
from dataclasses import dataclass
from typing import Any

import openai
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    stop_before_delay,
    wait_exponential_jitter,
)
from tenacity.stop import stop_base

from summarise_agent.model.failures import RETRYABLE_CLIENT_STATUS, is_rejected_request

log = logging.getLogger(__name__)

MAX_RETRY_AFTER_SECONDS = 60.0  # a server asking for longer is answered with our own backoff cap
MAX_TIMEOUT_RETRIES = 1


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int
    max_seconds: float
    initial_wait: float
    connect_timeout: float = 2.0


# By name: the SDK's HTTP library is httpx or, in newer openai releases, httpx2.
_CONNECT_FAILURES = frozenset({"ConnectError", "ConnectTimeout"})


def is_unreachable(error: BaseException | None) -> bool:
    """Nothing accepted the connection: refused, DNS failure, or no answer to the handshake."""
    cause = getattr(error, "__cause__", None)
    return isinstance(error, openai.APIConnectionError) and (
        type(cause).__name__ in _CONNECT_FAILURES
    )


def is_read_timeout(error: BaseException | None) -> bool:
    return isinstance(error, openai.APITimeoutError) and not is_unreachable(error)


def is_transient(error: BaseException) -> bool:
    if isinstance(error, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(error, openai.APIStatusError) and not is_rejected_request(error):
        return error.status_code in RETRYABLE_CLIENT_STATUS or error.status_code >= 500
    return False


class StopEarly(stop_base):
    """Unreachable: one more try within the connect timeout. Timed out: one more try."""

    def __init__(self, connect_timeout: float) -> None:
        self._connect_timeout = connect_timeout
        self._timeouts = 0

    def __call__(self, state: RetryCallState) -> bool:
        error = state.outcome.exception() if state.outcome else None
        if is_unreachable(error):
            elapsed = state.seconds_since_start or 0.0
            return state.attempt_number >= 2 or elapsed >= self._connect_timeout
        if is_read_timeout(error):
            self._timeouts += 1
            return self._timeouts > MAX_TIMEOUT_RETRIES
        return False


def retry_after_seconds(error: BaseException) -> float | None:
    """The wait the server asked for (retry-after-ms, retry-after seconds or HTTP date)."""
    response = getattr(error, "response", None)
    headers: Any = getattr(response, "headers", None)
    if headers is None:
        return None
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) / divisor
        except ValueError:
            seconds = _seconds_until_date(value) if divisor == 1.0 else math.nan
        if math.isfinite(seconds):  # junk ("abc", "nan", "inf", a bad date): our own backoff
            return max(0.0, seconds)
    return None


def _seconds_until_date(value: str) -> float:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
        return parsed.timestamp() - time.time()
    except (ValueError, TypeError, IndexError, OverflowError):
        return math.nan


class WaitRetryAfterOrBackoff:
    """Tenacity wait: the server's Retry-After when given (capped), else exponential jitter."""

    def __init__(self, initial: float, maximum: float = 30.0) -> None:
        self._backoff = wait_exponential_jitter(multiplier=initial, max=maximum, jitter=initial)

    def __call__(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        asked = retry_after_seconds(error) if error else None
        if asked is not None:
            return min(asked, MAX_RETRY_AFTER_SECONDS)
        return float(self._backoff(state))


def _log_retry(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    wait = state.next_action.sleep if state.next_action else 0.0
    log.info(
        "attempt %d failed (%s); retrying in %.2fs", state.attempt_number, _describe(error), wait
    )


def _describe(error: BaseException | None) -> str:
    if isinstance(error, openai.APIStatusError):
        return f"HTTP {error.status_code}"
    return type(error).__name__ if error else "unknown"


def transport_retrying(policy: RetryPolicy) -> AsyncRetrying:
    return AsyncRetrying(
        retry=retry_if_exception(is_transient),
        wait=WaitRetryAfterOrBackoff(policy.initial_wait),
        stop=stop_after_attempt(max(1, policy.attempts))
        | stop_before_delay(policy.max_seconds)
        | StopEarly(policy.connect_timeout),
        before_sleep=_log_retry,
        reraise=True,
    )
