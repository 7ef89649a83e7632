"""An endpoint's attempts in flight across every gateway process: a semaphore per endpoint
in Redis, so `WEBHOOK_ENDPOINT_CONCURRENCY` holds for the platform, not per replica.

A slot is a member of the endpoint's sorted set, scored with when its lease runs out
(Redis's own clock, so the processes need not agree on time). One script drops the run-out
slots and takes one when fewer than the limit are left. A dispatcher gives its slot back
after the attempt; a process that died never does, and its slots come back when their
lease runs out (an attempt is bounded well within it).

When Redis cannot be reached the dispatcher goes on with its own per-process limit (a
warning is logged): never no limit, and never a stall. Redis is not asked again for
`pause_seconds`, so an outage costs no latency. An endpoint refused a slot (full in other
processes) is not asked for again for `pause_seconds` either: the dispatcher leaves its
due records out meanwhile, so they do not crowd out other endpoints'.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError

from libs.ids import new_id
from libs.logging import get_logger

log = get_logger(__name__)

TAKE_SLOT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + lease, ARGV[3])
redis.call('PEXPIRE', KEYS[1], lease)
return 1
"""


def slots_key(endpoint_id: str) -> str:
    return f"webhook_slots:{endpoint_id}"


@dataclass(frozen=True)
class Slot:
    """One attempt's place at its endpoint; `token` is empty when Redis was away (the
    process's own limit applied alone)."""

    endpoint_id: str
    token: str = ""


class EndpointSlots:
    def __init__(
        self,
        redis: Redis,
        *,
        limit: int,
        lease_seconds: float,
        pause_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._redis = redis
        self._script = redis.register_script(TAKE_SLOT)
        self._limit = limit
        self._lease_ms = max(1, int(lease_seconds * 1000))
        self._pause_seconds = pause_seconds
        self._clock = clock
        self._redis_back_at = 0.0
        self._full_until: dict[str, float] = {}  # endpoints full in other processes

    def full_elsewhere(self) -> Collection[str]:
        """The endpoints refused a slot a moment ago: not asked for again meanwhile."""
        now = self._clock()
        for endpoint_id in [e for e, until in self._full_until.items() if until <= now]:
            del self._full_until[endpoint_id]
        return self._full_until.keys()

    async def take(self, endpoint_id: str) -> Slot | None:
        """A slot for one attempt, or None when every slot of the endpoint is taken."""
        now = self._clock()
        if self._full_until.get(endpoint_id, 0.0) > now:
            return None
        if now < self._redis_back_at:
            return Slot(endpoint_id)
        token = new_id("slot_")
        try:
            taken = await self._script(
                [slots_key(endpoint_id)], [self._limit, self._lease_ms, token]
            )
        except (RedisError, OSError, TimeoutError) as exc:
            self._redis_back_at = now + self._pause_seconds
            log.warning("webhook_slots_unavailable_per_process_limit", error=repr(exc))
            return Slot(endpoint_id)
        if not int(taken):
            self._full_until[endpoint_id] = now + self._pause_seconds
            return None
        return Slot(endpoint_id, token)

    async def give_back(self, slot: Slot) -> None:
        """Free the slot at once (when Redis is away, its lease frees it)."""
        if not slot.token:
            return
        try:
            await self._redis.zrem(slots_key(slot.endpoint_id), slot.token)
        except (RedisError, OSError, TimeoutError) as exc:
            log.warning("webhook_slot_left_to_its_lease", error=repr(exc))
