"""The cache of answers read from tenants' documents."""

from __future__ import annotations

from gateway.tenancy.timed_cache import TimedCache


class Loads:
    def __init__(self) -> None:
        self.count = 0

    async def __call__(self) -> str | None:
        self.count += 1
        return None if self.count % 2 == 0 else f"answer {self.count}"


async def test_an_answer_is_kept_for_its_seconds_then_loaded_again() -> None:
    now = [0.0]
    cache: TimedCache[str, str | None] = TimedCache(5.0, clock=lambda: now[0])
    load = Loads()
    assert await cache.through("t1", load) == "answer 1"
    now[0] = 4.9
    assert await cache.through("t1", load) == "answer 1"
    now[0] = 5.0
    assert await cache.through("t1", load) is None  # an unknown answer is kept too
    now[0] = 6.0
    assert await cache.through("t1", load) is None
    assert load.count == 2


async def test_nothing_is_kept_when_the_cache_time_is_zero() -> None:
    cache: TimedCache[str, str | None] = TimedCache(0.0)
    load = Loads()
    await cache.through("t1", load)
    await cache.through("t1", load)
    assert load.count == 2
    assert len(cache) == 0


async def test_a_forgotten_or_cleared_key_is_loaded_again() -> None:
    cache: TimedCache[str, str | None] = TimedCache(60.0)
    load = Loads()
    await cache.through("t1", load)
    cache.forget("t1")
    await cache.through("t1", load)
    cache.clear()
    await cache.through("t1", load)
    assert load.count == 3


async def test_past_its_limit_expired_entries_go_first_then_all() -> None:
    now = [0.0]
    cache: TimedCache[str, str | None] = TimedCache(5.0, clock=lambda: now[0], limit=3)
    load = Loads()
    await cache.through("old", load)
    now[0] = 3.0
    await cache.through("a", load)
    await cache.through("b", load)
    now[0] = 6.0  # "old" has expired, "a" and "b" have not
    await cache.through("c", load)
    assert len(cache) == 3
    await cache.through("d", load)  # none expired: all go, then "d" is kept
    assert len(cache) == 1
