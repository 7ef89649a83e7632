"""Two token buckets (the API key's and its tenant's) taken from atomically, in Redis.

One Lua script reads both, refills them by the time elapsed (Redis's own clock, so the
gateway processes need not agree on time), and takes tokens from each only when both
have them. The keys share the `{tenant}` hash tag, so they live on one Redis Cluster slot.

A request's token is taken a batch at a time per API key (`batch_size`: about a tenth of
a second of the slower bucket's rate, at most a tenth of its burst and 50 tokens): the
script grants up to a batch, and this process spends the rest on the key's next requests
within `HOLD_SECONDS`, without asking Redis (docs/gateway.md, "Rate limits"). Tokens are
never spent twice and never made up, so a key never gets more than its buckets allow; a
process may hold up to a batch less one that another process's request cannot have.

If Redis cannot be reached the request is let through (fail open) and a warning is
logged; Redis is not asked again for `pause_seconds`, so an outage costs no latency.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError

from gateway.edge.limits.policy import Bucket, RateLimits
from libs.logging import get_logger

log = get_logger(__name__)

TAKE_TOKENS = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local function level(key, rate, burst)
  local state = redis.call('HMGET', key, 'tokens', 'at')
  local tokens, at = tonumber(state[1]), tonumber(state[2])
  if tokens == nil or at == nil then return burst end
  return math.min(burst, tokens + math.max(0, now - at) * rate)
end
local function save(key, tokens, rate, burst)
  redis.call('HSET', key, 'tokens', tostring(tokens), 'at', tostring(now))
  redis.call('PEXPIRE', key, math.ceil(burst / rate * 1000) + 1000)
end
local function wait(tokens, rate)
  if tokens >= 1 then return 0 end
  return (1 - tokens) / rate
end
local key_rate, key_burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local tenant_rate, tenant_burst = tonumber(ARGV[3]), tonumber(ARGV[4])
local wanted = tonumber(ARGV[5] or '1')
local key_tokens = level(KEYS[1], key_rate, key_burst)
local tenant_tokens = level(KEYS[2], tenant_rate, tenant_burst)
local granted = math.min(wanted, math.floor(key_tokens), math.floor(tenant_tokens))
if granted >= 1 then
  save(KEYS[1], key_tokens - granted, key_rate, key_burst)
  save(KEYS[2], tenant_tokens - granted, tenant_rate, tenant_burst)
  return {granted, '0', ''}
end
save(KEYS[1], key_tokens, key_rate, key_burst)
save(KEYS[2], tenant_tokens, tenant_rate, tenant_burst)
local key_wait, tenant_wait = wait(key_tokens, key_rate), wait(tenant_tokens, tenant_rate)
if key_wait >= tenant_wait then return {0, tostring(key_wait), 'key'} end
return {0, tostring(tenant_wait), 'tenant'}
"""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    wait_seconds: float = 0.0
    limited_by: str | None = None  # "key" or "tenant"


ALLOWED = Decision(allowed=True)
# Tokens a process took in a batch and has not spent by then are dropped (never given back).
HOLD_SECONDS = 1.0
BATCH_SECONDS = 0.1
MAX_BATCH = 50


def batch_size(limits: RateLimits) -> int:
    """How many tokens one round trip takes for an API key's requests: about
    `BATCH_SECONDS` of the slower bucket's rate, at most a tenth of either burst and
    `MAX_BATCH`; 1 (a round trip per request) for the low rates that tests and sign-in
    buckets use, so those stay exact."""
    size = MAX_BATCH
    for bucket in (limits.per_key, limits.per_tenant):
        size = min(size, int(bucket.per_second * BATCH_SECONDS), bucket.burst // 10)
    return max(1, size)


def bucket_keys(tenant_id: str, key_id: str) -> list[str]:
    return [f"ratelimit:{{{tenant_id}}}:key:{key_id}", f"ratelimit:{{{tenant_id}}}:tenant"]


class RateLimiter:
    def __init__(
        self,
        redis: Redis,
        *,
        pause_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._script = redis.register_script(TAKE_TOKENS)
        self._pause_seconds = pause_seconds
        self._clock = clock
        self._paused_until = 0.0
        # (tenant, API key) -> [tokens taken and not yet spent, until when they may be]
        self._held: dict[tuple[str, str], list[float]] = {}
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}

    async def take(self, tenant_id: str, key_id: str, limits: RateLimits) -> Decision:
        """A token from both buckets, exactly: one round trip per call."""
        return await self._take(bucket_keys(tenant_id, key_id), limits)

    async def take_batched(self, tenant_id: str, key_id: str, limits: RateLimits) -> Decision:
        """A token for one of the key's requests, from a batch this process holds when it
        can, else a new batch of `batch_size(limits)` (or what the buckets have left).
        One request of the key at a time asks for a new batch; the others wait for it
        rather than each taking a batch of their own."""
        size = batch_size(limits)
        if size == 1:
            return await self.take(tenant_id, key_id, limits)
        key = (tenant_id, key_id)
        if self._spend(key):
            return ALLOWED
        async with self._locks.setdefault(key, asyncio.Lock()):
            if self._spend(key):  # a batch came in while this request waited
                return ALLOWED
            decision, granted = await self._take_many(bucket_keys(*key), limits, size)
            if granted > 1:
                self._forget_expired()
                self._held[key] = [granted - 1, self._clock() + HOLD_SECONDS]
            return decision

    def _spend(self, key: tuple[str, str]) -> bool:
        held = self._held.get(key)
        if held is not None and held[0] >= 1 and self._clock() < held[1]:
            held[0] -= 1
            return True
        return False

    def _forget_expired(self) -> None:
        if len(self._held) < 10_000:
            return
        now = self._clock()
        for key in [k for k, (_, until) in self._held.items() if until <= now]:
            del self._held[key]
            lock = self._locks.get(key)
            if lock is not None and not lock.locked():
                del self._locks[key]

    async def take_one(self, key: str, bucket: Bucket) -> Decision:
        """A token from one bucket of its own (`key`), touching no API key's or tenant's:
        the script's two buckets are the same one, read and saved alike."""
        return await self._take([key, key], RateLimits(per_key=bucket, per_tenant=bucket))

    async def _take(self, keys: list[str], limits: RateLimits) -> Decision:
        decision, _ = await self._take_many(keys, limits, 1)
        return decision

    async def _take_many(
        self, keys: list[str], limits: RateLimits, wanted: int
    ) -> tuple[Decision, int]:
        """The decision for this request, and how many tokens were granted (its own
        included; 0 when refused or when Redis was not asked)."""
        if self._clock() < self._paused_until:
            return ALLOWED, 0
        args = [
            limits.per_key.per_second,
            limits.per_key.burst,
            limits.per_tenant.per_second,
            limits.per_tenant.burst,
            wanted,
        ]
        try:
            granted, wait, limited_by = await self._script(keys, args)
        except (RedisError, OSError, TimeoutError) as exc:
            self._paused_until = self._clock() + self._pause_seconds
            log.warning("rate_limit_unavailable_failing_open", error=repr(exc))
            return ALLOWED, 0
        if int(granted) >= 1:
            return ALLOWED, int(granted)
        return Decision(False, float(wait), bytes(limited_by).decode() or None), 0
