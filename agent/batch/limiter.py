"""The client-side rate limiter shared by every request of a batch run (a RequestLimiter).

Two paces, requests per minute and tokens per minute, each a GCRA schedule (a token bucket
with no burst): a request may start when both schedules allow it, so the run sends at the limit
evenly instead of in bursts the endpoint would refuse. Reservations are made one at a time
behind a lock, in arrival order, so no task overtakes another.

The limits come from the settings (`rpm`, `tpm`) and from what the endpoint says: the
`x-ratelimit-limit-*` headers lower them (the user's value stays a ceiling), a
`x-ratelimit-remaining-*` of 0 pauses every task until the matching `x-ratelimit-reset-*`,
and a 429 pauses every task until its Retry-After. A 429 from an endpoint that sends no limit
headers sets the request limit to 80% of the rate just sent. Retrying is not done here:
agent/model/retry.py owns it; the limiter only gates and paces.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass

MAX_PAUSE_SECONDS = 60.0  # like retry.py: a longer ask is capped
DEFAULT_429_PAUSE = 1.0  # a 429 that says nothing about when to come back
_BACKOFF_FACTOR = 0.8
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")


@dataclass
class RequestCounts:
    """One article's HTTP attempts and 429s, counted here because a request that fails after
    its retries never reaches the article's ExtractionStats."""

    attempts: int = 0
    refused_429: int = 0


# Set by each article's task (a task's context is its own), read by acquire() and observe().
current_article: ContextVar[RequestCounts | None] = ContextVar("current_article", default=None)


def parse_duration(text: str | None) -> float | None:
    """Seconds in an OpenAI reset header: "1s", "6m0s", "120ms", "1h2m3.5s" or plain seconds."""
    if not text:
        return None
    text = text.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    parts = _DURATION_PART.findall(text)
    if not parts or "".join(number + unit for number, unit in parts) != text:
        return None
    scale = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
    return sum(float(number) * scale[unit] for number, unit in parts)


class Pace:
    """A per-minute limit as a schedule (GCRA): each start pushes the next allowed start along.

    A start that comes late (the event loop was busy grounding another answer) may leave up to
    CATCH_UP_SECONDS of credit, so brief stalls do not lose throughput for good; the burst this
    allows is small next to any endpoint's own allowance."""

    CATCH_UP_SECONDS = 0.25

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute  # 0: unlimited
        self._next_start: float | None = None  # the GCRA "theoretical arrival time"

    def wait(self, now: float) -> float:
        if self.per_minute <= 0 or self._next_start is None:
            return 0.0
        return max(0.0, self._next_start - now)

    def take(self, now: float, cost: float) -> None:
        if self.per_minute > 0:
            earliest = now if self._next_start is None else self._next_start
            earliest = max(earliest, now - self.CATCH_UP_SECONDS)
            self._next_start = earliest + cost * 60.0 / self.per_minute

    def hold_until(self, moment: float) -> None:
        """After a pause: no credit for the time paused (that would be a burst)."""
        if self._next_start is not None:
            self._next_start = max(self._next_start, moment)


class RateLimiter:
    """Requests-per-minute and tokens-per-minute limits shared by the tasks of one event loop."""

    def __init__(
        self,
        rpm: int = 0,
        tpm: int = 0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._ceilings = {"requests": rpm, "tokens": tpm}
        self.requests = Pace(rpm)
        self.tokens = Pace(tpm)
        self._clock, self._sleep = clock, sleep
        self._paused_until = 0.0
        self._lock = asyncio.Lock()
        self._recent_starts: deque[float] = deque()  # last minute's starts, for 429 backoff
        self.refusals = 0  # 429 responses seen
        self.pauses = 0  # times every task was paused

    async def acquire(self, estimated_tokens: int) -> None:
        async with self._lock:
            while True:
                now = self._clock()
                wait = max(
                    self._paused_until - now, self.requests.wait(now), self.tokens.wait(now)
                )
                if wait <= 0:
                    break
                await self._sleep(wait)
            self.requests.take(now, 1)
            self.tokens.take(now, estimated_tokens)
            counts = current_article.get()
            if counts is not None:
                counts.attempts += 1
            self._recent_starts.append(now)
            while self._recent_starts and self._recent_starts[0] < now - 60.0:
                self._recent_starts.popleft()

    def observe(self, status: int, headers: Mapping[str, str]) -> None:
        lower = {name.lower(): value for name, value in headers.items()}
        for kind, pace in (("requests", self.requests), ("tokens", self.tokens)):
            limit = _int_header(lower, f"x-ratelimit-limit-{kind}")
            if limit is not None and limit > 0:
                ceiling = self._ceilings[kind]
                pace.per_minute = min(limit, ceiling) if ceiling else limit
            if _int_header(lower, f"x-ratelimit-remaining-{kind}") == 0:
                self._pause(self._until_one_more(lower.get(f"x-ratelimit-reset-{kind}"), pace))
        if status == 429:
            self.refusals += 1
            counts = current_article.get()
            if counts is not None:
                counts.refused_429 += 1
            self._pause(self._retry_after(lower))
            if "x-ratelimit-limit-requests" not in lower:
                self._back_off()

    @staticmethod
    def _until_one_more(reset_header: str | None, pace: Pace) -> float:
        """An exhausted limit: wait until it refills by one request's worth, not to the full
        reset (the reset header is the time until the whole budget is back)."""
        reset = parse_duration(reset_header)
        one_more = 60.0 / pace.per_minute if pace.per_minute > 0 else None
        known = [seconds for seconds in (reset, one_more) if seconds is not None]
        return min(known) if known else DEFAULT_429_PAUSE

    def _retry_after(self, headers: dict[str, str]) -> float:
        milliseconds = _float(headers.get("retry-after-ms"))
        if milliseconds is not None:
            return milliseconds / 1000.0
        seconds = _float(headers.get("retry-after"))
        if seconds is not None:
            return seconds
        resets = (headers.get(f"x-ratelimit-reset-{kind}") for kind in ("requests", "tokens"))
        known = [seconds for seconds in map(parse_duration, resets) if seconds is not None]
        return max(known) if known else DEFAULT_429_PAUSE

    def _pause(self, seconds: float) -> None:
        until = self._clock() + min(max(0.0, seconds), MAX_PAUSE_SECONDS)
        if until > self._paused_until:
            self._paused_until = until
            self.pauses += 1
            self.requests.hold_until(until)
            self.tokens.hold_until(until)

    def _back_off(self) -> None:
        """No limit headers: send at 80% of the rate that was just refused."""
        if not self._recent_starts:
            return
        window = max(1.0, self._clock() - self._recent_starts[0])
        sent_per_minute = len(self._recent_starts) * 60.0 / window
        current = self.requests.per_minute or sent_per_minute
        self.requests.per_minute = max(1, int(min(current, sent_per_minute) * _BACKOFF_FACTOR))


def _int_header(headers: dict[str, str], name: str) -> int | None:
    value = _float(headers.get(name))
    return int(value) if value is not None else None


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None
