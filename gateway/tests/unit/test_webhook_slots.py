"""An endpoint's attempt slots (the script is faked here; the semaphore in a real Redis
across two gateways: integration/test_webhooks_across_processes.py)."""

from __future__ import annotations

from typing import Any

from redis.exceptions import ConnectionError as RedisConnectionError

from gateway.webhooks.slots import EndpointSlots, Slot


class FakeRedis:
    """Stands in for Redis: `free` slots to grant, or away (`up` false)."""

    def __init__(self, free: int) -> None:
        self.free = free
        self.up = True
        self.asked = 0
        self.given_back: list[str] = []

    def register_script(self, _: str) -> Any:
        async def script(keys: list[str], args: list[Any]) -> int:
            self.asked += 1
            if not self.up:
                raise RedisConnectionError("Redis is away")
            if self.free <= 0:
                return 0
            self.free -= 1
            return 1

        return script

    async def zrem(self, key: str, token: str) -> int:
        if not self.up:
            raise RedisConnectionError("Redis is away")
        self.given_back.append(token)
        self.free += 1
        return 1


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def slots(redis: FakeRedis, clock: Clock) -> EndpointSlots:
    return EndpointSlots(redis, limit=4, lease_seconds=20, clock=clock)  # type: ignore[arg-type]


async def test_a_slot_taken_from_redis_is_given_back_by_its_token() -> None:
    redis = FakeRedis(free=1)
    endpoint_slots = slots(redis, Clock())

    slot = await endpoint_slots.take("we_1")
    assert slot is not None
    assert slot.token
    await endpoint_slots.give_back(slot)

    assert redis.given_back == [slot.token]


async def test_an_endpoint_full_elsewhere_is_left_out_for_a_moment_without_asking_again() -> None:
    redis, clock = FakeRedis(free=0), Clock()
    endpoint_slots = slots(redis, clock)

    refused = [await endpoint_slots.take("we_1") for _ in range(3)]
    left_out = set(endpoint_slots.full_elsewhere())
    clock.now += 1.5
    redis.free = 1
    again = await endpoint_slots.take("we_1")

    assert refused == [None, None, None]
    assert left_out == {"we_1"}
    assert set(endpoint_slots.full_elsewhere()) == set()
    assert again is not None
    assert redis.asked == 2


async def test_with_redis_away_attempts_go_on_under_the_process_limit_and_redis_rests() -> None:
    redis, clock = FakeRedis(free=4), Clock()
    redis.up = False
    endpoint_slots = slots(redis, clock)

    while_away = [await endpoint_slots.take("we_1") for _ in range(3)]
    await endpoint_slots.give_back(Slot("we_1", "slot_left"))  # left to its lease, no error
    clock.now += 1.5
    redis.up = True
    back = await endpoint_slots.take("we_1")

    assert while_away == [Slot("we_1")] * 3  # no token: the process's own count alone
    assert redis.asked == 2  # once while away, then not before the pause was over
    assert back is not None
    assert back.token
