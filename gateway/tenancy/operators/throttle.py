"""What keeps sign-in from exhausting the gateway: buckets per client address and per
account that spend nothing of a tenant's API budget, and a bound on concurrent hashes.

Every sign-in verifies an argon2 hash (a dummy one for an unknown tenant or e-mail, so the
answers cannot be told apart), tens of milliseconds of CPU each. The buckets stop one
address from trying many accounts and many addresses from trying one; the gate stops a
crowd of addresses from queueing unbounded work behind the CPU.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from gateway.edge.limits.bucket import RateLimiter
from gateway.edge.limits.policy import Bucket, retry_after_seconds
from gateway.edge.problems import ApiProblem

# Per operator e-mail of a tenant: five tries at once, then one every five seconds.
SIGN_IN_ATTEMPTS = Bucket(per_second=0.2, burst=5)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def address_bucket_key(address: str) -> str:
    return f"signin:{{addr:{_digest(address)}}}"


def account_bucket_key(tenant_id: str, email: str) -> str:
    return f"signin:{{acct:{_digest(tenant_id + chr(0) + email.strip().lower())}}}"


def _too_many(wait_seconds: float, whose: str) -> ApiProblem:
    seconds = retry_after_seconds(wait_seconds)
    return ApiProblem(
        429,
        "rate_limited",
        f"too many sign-in attempts {whose}; retry after {seconds} s",
        headers={"Retry-After": str(seconds)},
    )


class SignInThrottle:
    """Takes a token for the client address, then for the account (tenant and e-mail)."""

    def __init__(self, limiter: RateLimiter, per_address: Bucket) -> None:
        self._limiter = limiter
        self._per_address = per_address

    async def take(self, address: str, tenant_id: str, email: str) -> None:
        decision = await self._limiter.take_one(address_bucket_key(address), self._per_address)
        if not decision.allowed:
            raise _too_many(decision.wait_seconds, "from this address")
        key = account_bucket_key(tenant_id, email)
        decision = await self._limiter.take_one(key, SIGN_IN_ATTEMPTS)
        if not decision.allowed:
            raise _too_many(decision.wait_seconds, "for this operator")


class HashGate:
    """At most `running` password checks at once and `waiting` more in line; beyond that a
    sign-in is refused at once (503 `sign_in_busy`, `Retry-After: 1`) instead of queueing."""

    def __init__(self, running: int, waiting: int) -> None:
        self._slots = asyncio.Semaphore(running)
        self._capacity = running + waiting
        self._inside = 0

    @asynccontextmanager
    async def admitted(self) -> AsyncIterator[None]:
        if self._inside >= self._capacity:
            raise ApiProblem(
                503,
                "sign_in_busy",
                "too many sign-ins are being checked; retry in a second",
                headers={"Retry-After": "1"},
            )
        self._inside += 1
        try:
            async with self._slots:
                yield
        finally:
            self._inside -= 1


class RefusalCount:
    """Refused sign-ins (throttled, or the hash gate full) counted per tenant in windows
    of `window_seconds`, in this process: the audit trail records the 1st, 10th, 100th...
    refusal of a window with its count, so an attacker hammering the throttle adds a
    handful of entries a minute, not one per attempt. At most `tenants` tenants are
    counted in a window (the tenant id is what the caller typed); beyond them, nothing
    more is recorded until the next window."""

    def __init__(self, window_seconds: float = 60.0, tenants: int = 10_000) -> None:
        self._window = window_seconds
        self._tenants = tenants
        self._started = float("-inf")
        self._counts: dict[str, int] = {}

    def recorded(self, tenant_id: str, now: float) -> int | None:
        """Count a refusal; its number in the window when the trail should record it."""
        if now - self._started >= self._window:
            self._started, self._counts = now, {}
        if tenant_id not in self._counts and len(self._counts) >= self._tenants:
            return None
        count = self._counts.get(tenant_id, 0) + 1
        self._counts[tenant_id] = count
        return count if _power_of_ten(count) else None


def _power_of_ten(count: int) -> bool:
    while count % 10 == 0:
        count //= 10
    return count == 1
