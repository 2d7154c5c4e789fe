"""The client-side rate limiter shared by every request of a batch run (a RequestLimiter).

Two paces, requests per minute and tokens per minute, each a GCRA schedule (a token bucket
with no burst): a request may start when both schedules allow it, so the run sends at the limit
evenly instead of in bursts the endpoint would refuse. A task reserves its slot before it
sleeps (no await in between), so slots go in arrival order and no task overtakes another.

The limits come from the settings (`rpm`, `tpm`) and from what the endpoint says: the
`x-ratelimit-limit-*` headers lower them (the user's value stays a ceiling), a
`x-ratelimit-remaining-*` of 0 pauses every task until the limit has room for one more request
(from `x-ratelimit-reset-*`), and a 429 pauses every task until its Retry-After.

An endpoint that sends no limit headers is learnt by AIMD: a 429 halves the request pace
(at most once per round: 429s for requests sent before the last decrease say nothing about
the new pace), never below one request per Retry-After for each article in flight (what a
client that simply obeys Retry-After sends; the pause after each 429 already spaces them), and
every success adds back a twentieth of the pace the run had before the 429s, so after a storm
the pace climbs back within a few dozen requests; once it is well above that pace the learnt
limit is dropped. Once an article has been refused with a 429, its
retries must start within its `retry_budget` (retry_max_seconds) of that first refusal: a
wait here that would go past it fails the article at once instead of running past the budget
(waiting for its turn before any refusal is queueing, not retrying, and is not bounded).
Retrying is not done here: agent/model/retry.py owns it; the limiter only gates and paces.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass

from summarise_agent.errors import EndpointError

log = logging.getLogger(__name__)

MAX_PAUSE_SECONDS = 60.0  # like retry.py: a longer ask is capped
DEFAULT_429_PAUSE = 1.0  # a 429 that says nothing about when to come back
DECREASE_FACTOR = 0.5  # AIMD: a 429 without limit headers halves the pace
RECOVERY_STEPS = 20  # successes to climb back by the pace the run had before the 429s
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")


@dataclass
class RequestCounts:
    """One article's HTTP attempts and 429s, counted here because a request that fails after
    its retries never reaches the article's ExtractionStats."""

    attempts: int = 0
    refused_429: int = 0
    retry_budget: float | None = None  # retry_max_seconds: how long after its first 429
    first_refused: float | None = None  # ... this article may still be starting requests
    last_start: float | None = None  # when its latest request started


class RateLimitWaitTooLong(EndpointError):
    """The pace would keep an article waiting past its retry budget."""


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

    def earliest(self, now: float) -> float:
        """When the next request may start."""
        if self.per_minute <= 0 or self._next_start is None:
            return now
        return max(now, self._next_start)

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
        concurrency: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._ceilings = {"requests": rpm, "tokens": tpm}
        self._concurrency = max(1, concurrency)
        self.requests = Pace(rpm)
        self.tokens = Pace(tpm)
        self._clock, self._sleep = clock, sleep
        self._paused_until = 0.0
        self._recent_starts: deque[float] = deque()  # last minute's starts, for 429 backoff
        self.refusals = 0  # 429 responses seen
        self.pauses = 0  # times every task was paused
        self._learning = False  # the request pace is AIMD's, not the endpoint's headers'
        self._last_decrease = float("-inf")
        self._peak = 0.0  # requests a minute sent before the 429s: what recovery aims at

    async def acquire(self, estimated_tokens: int) -> None:
        """Reserve the next slot both paces allow (in arrival order: the reservation is made
        before any await), then sleep until it; a pause that began meanwhile means reserving
        again. After a 429, a start past the article's retry budget is refused instead."""
        counts = current_article.get()
        while True:
            now = self._clock()
            start = max(now, self._paused_until, self.requests.earliest(now),
                        self.tokens.earliest(now))  # fmt: skip
            wait = start - now
            if counts is not None and _past_retry_budget(counts, start):
                assert counts.retry_budget is not None and counts.first_refused is not None
                raise RateLimitWaitTooLong(
                    f"the rate limit would start this article's retry "
                    f"{start - counts.first_refused:.1f}s after its first 429, past its retry "
                    f"budget of {counts.retry_budget:g}s ({self.refusals} request(s) refused "
                    "with 429 so far)"
                )
            self.requests.take(start, 1)
            self.tokens.take(start, estimated_tokens)
            if wait > 0:
                await self._sleep(wait)
            if self._paused_until <= self._clock() + 1e-9:
                break
        self._started(start, counts)

    def _started(self, start: float, counts: RequestCounts | None) -> None:
        if counts is not None:
            counts.attempts += 1
            counts.last_start = start
        self._recent_starts.append(start)
        while self._recent_starts and self._recent_starts[0] < start - 60.0:
            self._recent_starts.popleft()

    def observe(self, status: int, headers: Mapping[str, str]) -> None:
        lower = {name.lower(): value for name, value in headers.items()}
        for kind, pace in (("requests", self.requests), ("tokens", self.tokens)):
            limit = _int_header(lower, f"x-ratelimit-limit-{kind}")
            if limit is not None and limit > 0:
                ceiling = self._ceilings[kind]
                pace.per_minute = min(limit, ceiling) if ceiling else limit
                if kind == "requests":
                    self._learning = False  # the endpoint says its limit: nothing to learn
            if _int_header(lower, f"x-ratelimit-remaining-{kind}") == 0:
                self._pause(self._until_one_more(lower.get(f"x-ratelimit-reset-{kind}"), pace))
        if status == 429:
            self.refusals += 1
            counts = current_article.get()
            if counts is not None:
                counts.refused_429 += 1
                if counts.first_refused is None:
                    counts.first_refused = self._clock()
            pause = self._retry_after(lower)
            self._pause(pause)
            if "x-ratelimit-limit-requests" not in lower:
                self._back_off(counts.last_start if counts else None, pause)
        elif status < 400 and self._learning:
            self._recover()

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
        # no Retry-After: until each limit has room for one more request, not its full reset
        known = [self._until_one_more(headers.get(f"x-ratelimit-reset-{kind}"), pace)
                 for kind, pace in (("requests", self.requests), ("tokens", self.tokens))
                 if f"x-ratelimit-reset-{kind}" in headers]  # fmt: skip
        return max(known) if known else DEFAULT_429_PAUSE

    def _pause(self, seconds: float) -> None:
        until = self._clock() + min(max(0.0, seconds), MAX_PAUSE_SECONDS)
        if until > self._paused_until:
            self._paused_until = until
            self.pauses += 1
            self.requests.hold_until(until)
            self.tokens.hold_until(until)

    def _back_off(self, refused_start: float | None, pause: float) -> None:
        """AIMD's decrease: halve the pace, once per round, never below one request per
        pause for each article in flight."""
        now = self._clock()
        if refused_start is not None and refused_start <= self._last_decrease:
            return  # sent at the pace already decreased from
        if refused_start is None and now - self._last_decrease < max(1.0, pause):
            return
        current = float(self.requests.per_minute)
        if not current:  # no pace yet: start from the rate just sent
            if not self._recent_starts:
                return
            window = max(1.0, now - self._recent_starts[0])
            current = len(self._recent_starts) * 60.0 / window
        if not self._learning:
            self._peak = max(self._peak, current)
        floor = 60.0 * self._concurrency / max(pause, 0.1)
        self.requests.per_minute = max(1, int(max(floor, current * DECREASE_FACTOR)))
        self._learning, self._last_decrease = True, now
        log.info("429 without limit headers: pace %d requests a minute (was %d)",
                 self.requests.per_minute, current)  # fmt: skip

    def _recover(self) -> None:
        """AIMD's increase: each success adds back a step; well past the old pace, unlimited."""
        ceiling = self._ceilings["requests"]
        step = max(1.0, self._peak / RECOVERY_STEPS)
        raised = self.requests.per_minute + step
        if ceiling and raised >= ceiling:
            self.requests.per_minute, self._learning = ceiling, False
        elif not ceiling and raised >= 2 * self._peak:
            self.requests.per_minute, self._learning = 0, False  # back to no client limit
            log.info("recovered: no client-side request limit")
        else:
            self.requests.per_minute = int(raised)


def _past_retry_budget(counts: RequestCounts, start: float) -> bool:
    if counts.retry_budget is None or counts.first_refused is None:
        return False
    return start > counts.first_refused + counts.retry_budget


def _int_header(headers: dict[str, str], name: str) -> int | None:
    value = _float(headers.get(name))
    return int(value) if value is not None else None


def _float(text: str | None) -> float | None:
    """A header's number; junk, nan and infinities are None (as if the header were absent)."""
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None
