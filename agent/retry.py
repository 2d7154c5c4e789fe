"""Transport retries: the single owner of retrying 429, 408/409, 5xx, timeouts and dropped
connections (the SDK's own retries are off: max_retries=0).

Exponential backoff with jitter, or the server's Retry-After / retry-after-ms when it gives one,
bounded by a number of attempts and a total time budget. Nothing else is retried: a 400 or 401
will not get better by asking again, and an invalid answer is re-asked elsewhere (reask.py).
"""

from __future__ import annotations

import email.utils
import logging
import math
import time
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

log = logging.getLogger(__name__)

RETRYABLE_STATUS = frozenset({408, 409, 429})
MAX_RETRY_AFTER_SECONDS = 60.0  # a server asking for longer is answered with our own backoff cap


def is_transient(error: BaseException) -> bool:
    if isinstance(error, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(error, openai.APIStatusError):
        return error.status_code in RETRYABLE_STATUS or error.status_code >= 500
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


def transport_retrying(attempts: int, max_seconds: float, initial_wait: float) -> AsyncRetrying:
    return AsyncRetrying(
        retry=retry_if_exception(is_transient),
        wait=WaitRetryAfterOrBackoff(initial_wait),
        stop=stop_after_attempt(max(1, attempts)) | stop_before_delay(max_seconds),
        before_sleep=_log_retry,
        reraise=True,
    )
