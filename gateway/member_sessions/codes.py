"""One-time sign-in codes: six digits, kept hashed in Redis until they expire or are used.

Asking for a code replaces the identity's previous one. A code is checked in constant time
and taken by deleting it, so two requests racing with the right code open one session.
How often codes may be asked for and tried is limited per identity and per client address
(token buckets in `gateway.edge.limits`, keyed within the tenant).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from redis.asyncio import Redis

from gateway.edge.limits.bucket import RateLimiter
from gateway.edge.limits.policy import Bucket, RateLimits, retry_after_seconds
from gateway.edge.problems import ApiProblem

# Per identity: three codes at once, then one a minute; five tries, then one a minute.
CODES_PER_IDENTITY = Bucket(per_second=1 / 60, burst=3)
TRIES_PER_IDENTITY = Bucket(per_second=1 / 60, burst=5)
# Per client address within a tenant: twenty requests at once, then one every six seconds.
REQUESTS_PER_ADDRESS = Bucket(per_second=1 / 6, burst=20)


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def identity_key(identity_type: str, value: str) -> str:
    """An identity as the limits and the code store name it: a hash, never the number."""
    return _digest(f"{identity_type}:{''.join(value.split())}")[:32]


def _code_key(tenant_id: str, who: str) -> str:
    return f"member-code:{{{tenant_id}}}:{who}"


class SignInCodes:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def issue(self, tenant_id: str, who: str, *, lifetime_seconds: int) -> str:
        code = new_code()
        await self._redis.set(_code_key(tenant_id, who), _digest(code), ex=lifetime_seconds)
        return code

    async def take(self, tenant_id: str, who: str, code: str) -> bool:
        """Whether `code` is the identity's live code; a right one is used up."""
        key = _code_key(tenant_id, who)
        stored = await self._redis.get(key)
        if stored is None:
            return False
        expected = stored.decode() if isinstance(stored, bytes) else str(stored)
        if not hmac.compare_digest(expected, _digest(code)):
            return False
        return int(await self._redis.delete(key)) == 1


async def limit(
    limiter: RateLimiter, tenant: Bucket, tenant_id: str, name: str, bucket: Bucket
) -> None:
    """Take a token from the named bucket (and the tenant's), or 429 with `Retry-After`."""
    decision = await limiter.take(tenant_id, name, RateLimits(per_key=bucket, per_tenant=tenant))
    if not decision.allowed:
        seconds = retry_after_seconds(decision.wait_seconds)
        raise ApiProblem(
            429,
            "rate_limited",
            f"too many sign-in attempts; retry after {seconds} s",
            headers={"Retry-After": str(seconds)},
        )
