"""A key's request tokens taken from Redis a batch at a time (the script is faked here; the
buckets in a real Redis: integration/test_rate_limits.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from gateway.edge.limits.bucket import HOLD_SECONDS, RateLimiter, batch_size
from gateway.edge.limits.policy import Bucket, RateLimits

BUSY = RateLimits(per_key=Bucket(1000, 2000), per_tenant=Bucket(5000, 10000))


class FakeBuckets:
    """Stands in for Redis: grants what the script would, from `tokens` left."""

    def __init__(self, tokens: int) -> None:
        self.tokens = tokens
        self.asked: list[int] = []

    def register_script(self, _: str) -> Any:
        async def script(keys: list[str], args: list[Any]) -> list[Any]:
            await asyncio.sleep(0)  # a round trip: other requests run meanwhile
            wanted = int(args[4])
            self.asked.append(wanted)
            granted = min(wanted, self.tokens)
            self.tokens -= granted
            return [granted, b"0", b""] if granted else [0, b"0.5", b"key"]

        return script


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_batch_is_a_tenth_of_a_second_of_the_slower_rate_within_a_tenth_of_each_burst() -> None:
    assert batch_size(RateLimits(Bucket(50, 100), Bucket(500, 1000))) == 5
    assert batch_size(RateLimits(Bucket(1000, 60), Bucket(5000, 10000))) == 6
    assert batch_size(BUSY) == 50
    assert batch_size(RateLimits(Bucket(0.5, 3), Bucket(500, 1000))) == 1


async def test_a_keys_next_requests_spend_its_batch_without_asking_redis() -> None:
    buckets = FakeBuckets(tokens=1000)
    limiter = RateLimiter(buckets, clock=Clock())  # type: ignore[arg-type]

    decisions = [await limiter.take_batched("t1", "k1", BUSY) for _ in range(120)]

    assert all(d.allowed for d in decisions)
    assert buckets.asked == [50, 50, 50]
    assert buckets.tokens == 1000 - 150


async def test_each_key_spends_only_its_own_batch() -> None:
    buckets = FakeBuckets(tokens=1000)
    limiter = RateLimiter(buckets, clock=Clock())  # type: ignore[arg-type]

    await limiter.take_batched("t1", "k1", BUSY)
    await limiter.take_batched("t1", "k2", BUSY)

    assert buckets.asked == [50, 50]


async def test_a_request_past_what_the_buckets_hold_is_refused_after_the_last_token() -> None:
    buckets = FakeBuckets(tokens=70)
    limiter = RateLimiter(buckets, clock=Clock())  # type: ignore[arg-type]

    decisions = [await limiter.take_batched("t1", "k1", BUSY) for _ in range(72)]

    assert [d.allowed for d in decisions] == [True] * 70 + [False] * 2
    assert decisions[-1].limited_by == "key"


async def test_tokens_held_past_the_hold_time_are_dropped_and_a_new_batch_taken() -> None:
    buckets, clock = FakeBuckets(tokens=1000), Clock()
    limiter = RateLimiter(buckets, clock=clock)  # type: ignore[arg-type]
    await limiter.take_batched("t1", "k1", BUSY)

    clock.now += HOLD_SECONDS
    await limiter.take_batched("t1", "k1", BUSY)

    assert buckets.asked == [50, 50]


async def test_an_exact_take_asks_redis_for_one_token_every_time() -> None:
    buckets = FakeBuckets(tokens=1000)
    limiter = RateLimiter(buckets, clock=Clock())  # type: ignore[arg-type]

    for _ in range(3):
        await limiter.take("t1", "k1", BUSY)

    assert buckets.asked == [1, 1, 1]


async def test_concurrent_requests_of_a_key_wait_for_one_batch_instead_of_taking_one_each() -> None:
    buckets = FakeBuckets(tokens=1000)
    limiter = RateLimiter(buckets, clock=Clock())  # type: ignore[arg-type]

    decisions = await asyncio.gather(*(limiter.take_batched("t1", "k1", BUSY) for _ in range(60)))

    assert all(d.allowed for d in decisions)
    assert buckets.asked == [50, 50]
