"""Two token buckets (the API key's and its tenant's) taken from atomically, in Redis.

One Lua script reads both, refills them by the time elapsed (Redis's own clock, so the
gateway processes need not agree on time), and takes a token from each only when both
have one. The keys share the `{tenant}` hash tag, so they live on one Redis Cluster slot.

If Redis cannot be reached the request is let through (fail open) and a warning is
logged; Redis is not asked again for `pause_seconds`, so an outage costs no latency.
"""

from __future__ import annotations

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
local key_tokens = level(KEYS[1], key_rate, key_burst)
local tenant_tokens = level(KEYS[2], tenant_rate, tenant_burst)
if key_tokens >= 1 and tenant_tokens >= 1 then
  save(KEYS[1], key_tokens - 1, key_rate, key_burst)
  save(KEYS[2], tenant_tokens - 1, tenant_rate, tenant_burst)
  return {1, '0', ''}
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

    async def take(self, tenant_id: str, key_id: str, limits: RateLimits) -> Decision:
        return await self._take(bucket_keys(tenant_id, key_id), limits)

    async def take_one(self, key: str, bucket: Bucket) -> Decision:
        """A token from one bucket of its own (`key`), touching no API key's or tenant's:
        the script's two buckets are the same one, read and saved alike."""
        return await self._take([key, key], RateLimits(per_key=bucket, per_tenant=bucket))

    async def _take(self, keys: list[str], limits: RateLimits) -> Decision:
        if self._clock() < self._paused_until:
            return ALLOWED
        args = [
            limits.per_key.per_second,
            limits.per_key.burst,
            limits.per_tenant.per_second,
            limits.per_tenant.burst,
        ]
        try:
            allowed, wait, limited_by = await self._script(keys, args)
        except (RedisError, OSError, TimeoutError) as exc:
            self._paused_until = self._clock() + self._pause_seconds
            log.warning("rate_limit_unavailable_failing_open", error=repr(exc))
            return ALLOWED
        if int(allowed):
            return ALLOWED
        return Decision(False, float(wait), bytes(limited_by).decode() or None)
