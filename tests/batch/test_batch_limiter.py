"""The shared rate limiter, on a fake clock: pacing, learning from headers, pausing on 429."""

from __future__ import annotations

import asyncio

import pytest

from summarise_agent.batch.limiter import (
    RateLimiter,
    RateLimitWaitTooLong,
    RequestCounts,
    current_article,
    parse_duration,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def limiter(rpm: int = 0, tpm: int = 0) -> tuple[RateLimiter, FakeClock]:
    clock = FakeClock()
    return RateLimiter(rpm, tpm, clock=clock, sleep=clock.sleep), clock


async def start_times(limit: RateLimiter, clock: FakeClock, count: int, tokens: int = 1) -> list[float]:
    starts = []
    for _ in range(count):
        await limit.acquire(tokens)
        starts.append(clock.now)
    return starts


@pytest.mark.parametrize(("text", "seconds"), [
    ("1s", 1.0), ("6m0s", 360.0), ("120ms", 0.12), ("1h2m3.5s", 3723.5), ("20", 20.0),
    ("0.5", 0.5), ("", None), ("soon", None), ("5x", None),
])  # fmt: skip
def test_parse_duration(text: str, seconds: float | None) -> None:
    assert parse_duration(text) == (pytest.approx(seconds) if seconds is not None else None)


def test_requests_are_paced_evenly_at_the_limit() -> None:
    limit, clock = limiter(rpm=120)
    starts = asyncio.run(start_times(limit, clock, 5))
    assert [round(t - starts[0], 6) for t in starts] == [0.0, 0.5, 1.0, 1.5, 2.0]


def test_tokens_per_minute_paces_by_estimated_size() -> None:
    limit, clock = limiter(tpm=60_000)  # 1,000 tokens a second
    starts = asyncio.run(start_times(limit, clock, 3, tokens=2_000))
    assert [round(t - starts[0], 6) for t in starts] == [0.0, 2.0, 4.0]


def test_no_limit_means_no_waiting() -> None:
    limit, clock = limiter()
    asyncio.run(start_times(limit, clock, 50))
    assert clock.slept == []


def test_limit_headers_teach_the_rate_and_the_setting_stays_a_ceiling() -> None:
    learning, _ = limiter()
    learning.observe(200, {"X-RateLimit-Limit-Requests": "600", "x-ratelimit-limit-tokens": "90000"})
    assert (learning.requests.per_minute, learning.tokens.per_minute) == (600, 90_000)
    capped, _ = limiter(rpm=100)
    capped.observe(200, {"x-ratelimit-limit-requests": "600"})
    assert capped.requests.per_minute == 100
    lowered, _ = limiter(rpm=1000)
    lowered.observe(200, {"x-ratelimit-limit-requests": "600"})
    assert lowered.requests.per_minute == 600


def test_a_429_pauses_every_task_until_retry_after() -> None:
    limit, clock = limiter()
    counts = RequestCounts()

    async def scenario() -> list[float]:
        current_article.set(counts)
        await limit.acquire(10)
        limit.observe(429, {"retry-after": "3", "x-ratelimit-limit-requests": "6000"})
        return await start_times(limit, clock, 2)

    t0 = clock.now
    starts = asyncio.run(scenario())
    assert starts[0] - t0 == pytest.approx(3.0)  # nobody starts before the retry time
    assert starts[1] - starts[0] == pytest.approx(0.01)  # then at the learnt 6,000 a minute
    assert (limit.refusals, counts.refused_429, counts.attempts) == (1, 1, 3)


def test_retry_after_ms_wins_and_long_asks_are_capped() -> None:
    limit, clock = limiter()
    limit.observe(429, {"retry-after-ms": "250", "retry-after": "9"})
    asyncio.run(limit.acquire(1))
    assert clock.slept == [pytest.approx(0.25)]
    capped, capped_clock = limiter()
    capped.observe(429, {"retry-after": "3600"})
    asyncio.run(capped.acquire(1))
    assert capped_clock.slept == [pytest.approx(60.0)]


def test_exhausted_remaining_pauses_for_one_request_worth() -> None:
    limit, clock = limiter()
    limit.observe(200, {"x-ratelimit-limit-requests": "60", "x-ratelimit-remaining-requests": "0",
                        "x-ratelimit-reset-requests": "6m0s"})  # fmt: skip
    asyncio.run(limit.acquire(1))
    assert clock.slept == [pytest.approx(1.0)]  # 60 a minute: one more is back in a second


def test_429_without_headers_backs_off_below_the_rate_sent() -> None:
    limit, clock = limiter()

    async def scenario() -> None:
        for _ in range(10):
            await limit.acquire(1)
            clock.now += 0.1  # ten requests a second: 600 a minute
        limit.observe(429, {})

    asyncio.run(scenario())
    assert 0 < limit.requests.per_minute <= 600 * 0.8


def test_waiters_start_in_arrival_order() -> None:
    limit, clock = limiter(rpm=60)
    order: list[int] = []

    async def task(number: int) -> None:
        await limit.acquire(1)
        order.append(number)

    async def scenario() -> None:
        await asyncio.gather(*(task(n) for n in range(5)))

    asyncio.run(scenario())
    assert order == [0, 1, 2, 3, 4] and clock.now == pytest.approx(1004.0)


def test_a_brief_stall_is_caught_up_but_a_long_one_is_not_a_burst() -> None:
    limit, clock = limiter(rpm=600)  # one every 0.1 s

    async def scenario() -> list[float]:
        await limit.acquire(1)
        clock.now += 0.5  # the loop was busy: four slots late
        return await start_times(limit, clock, 4)

    t0 = clock.now
    starts = [round(t - t0, 6) for t in asyncio.run(scenario())]
    assert starts == [0.5, 0.5, 0.5, 0.55]  # 0.25 s of the 0.4 s lost is made up, then paced


def storm_then_calm(limit: RateLimiter, clock: FakeClock, storm_seconds: float,
                    requests: int, latency: float = 0.25) -> list[int]:
    """One client sending `requests` in turn; the endpoint answers 429 (Retry-After: 1, no
    limit headers) for the first `storm_seconds`, then everything. Returns the pace after each."""
    paces = []

    async def scenario() -> None:
        current_article.set(RequestCounts())
        storm_ends = clock.now + storm_seconds
        for _ in range(requests):
            await limit.acquire(1)
            clock.now += latency
            refused = clock.now < storm_ends
            limit.observe(429 if refused else 200, {"retry-after": "1"} if refused else {})
            paces.append(limit.requests.per_minute)

    asyncio.run(scenario())
    return paces


def test_a_storm_of_retry_after_1_never_teaches_a_crawl_and_the_pace_recovers() -> None:
    limit, clock = limiter()
    paces = storm_then_calm(limit, clock, storm_seconds=30.0, requests=200)
    assert limit.refusals >= 15
    learnt = [pace for pace in paces if pace]
    assert learnt and min(learnt) >= 60  # one request per Retry-After is never too fast
    assert paces[-1] == 0  # recovered: no client-side limit left, as before the storm
    recovered_at = max(i for i, pace in enumerate(paces) if pace) + 1
    assert recovered_at < limit.refusals + 60  # within a few dozen successes of the calm


def test_a_storm_after_a_known_pace_recovers_to_the_setting() -> None:
    limit, clock = limiter(rpm=600)
    paces = storm_then_calm(limit, clock, storm_seconds=10.0, requests=120)
    assert min(paces) >= 60 and min(paces) < 600
    assert paces[-1] == 600  # back at the user's ceiling


def test_429s_for_requests_sent_before_a_decrease_do_not_decrease_again() -> None:
    limit, _ = limiter(rpm=600)
    in_flight = [RequestCounts() for _ in range(8)]

    async def scenario() -> None:
        for counts in in_flight:  # eight requests in flight at the old pace
            current_article.set(counts)
            await limit.acquire(1)
        for counts in in_flight:  # then all eight are refused
            current_article.set(counts)
            limit.observe(429, {"retry-after": "1"})

    asyncio.run(scenario())
    assert limit.requests.per_minute == 300  # halved once, not 0.5 ** 8


def test_the_floor_is_one_request_per_retry_after_for_each_article_in_flight() -> None:
    clock = FakeClock()
    limit = RateLimiter(clock=clock, sleep=clock.sleep, concurrency=8)
    paces = storm_then_calm(limit, clock, storm_seconds=20.0, requests=100)
    assert min(pace for pace in paces if pace) >= 8 * 60
    assert paces[-1] == 0


def test_after_a_429_a_start_past_the_retry_budget_fails_at_once() -> None:
    limit, clock = limiter(rpm=2)  # one request every 30 s
    counts = RequestCounts(retry_budget=45.0)

    async def scenario() -> None:
        current_article.set(counts)
        await limit.acquire(1)
        await limit.acquire(1)  # queueing before any refusal: not bounded
        limit.observe(429, {"retry-after": "1", "x-ratelimit-limit-requests": "2"})
        await limit.acquire(1)  # 30 s after the 429: within the budget
        await limit.acquire(1)  # 60 s after it: 60 > 45

    with pytest.raises(RateLimitWaitTooLong, match="past its retry budget of 45s"):
        asyncio.run(scenario())
    assert counts.attempts == 3
    assert clock.slept == [pytest.approx(30.0), pytest.approx(30.0)]  # never the refused wait
