"""Finding the session behind a bearer token without letting made-up tokens cost a database
query each: a token not shaped like ours is refused at once, an unknown one is remembered
briefly (a bounded cache), and an address that keeps presenting unknown tokens is refused
with 429 before any query for a while. Known sessions are never cached, so signing out,
a role change and disabling an operator hold at once in every gateway process."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from gateway.edge.limits.policy import Bucket, retry_after_seconds
from gateway.edge.problems import ApiProblem
from gateway.tenancy.keys import ApiKey, hash_secret
from gateway.tenancy.operators.sessions import SessionStore

_SHAPE = re.compile(r"lo_[A-Za-z0-9_-]{43}")
_LIMIT = 10_000


class LocalBuckets:
    """Token buckets in process memory, one per name, at most `_LIMIT` names (past that,
    full ones are forgotten, then all)."""

    def __init__(self, bucket: Bucket, clock: Callable[[], float] = time.monotonic) -> None:
        self._bucket = bucket
        self._clock = clock
        self._levels: dict[str, tuple[float, float]] = {}

    def _level(self, name: str, now: float) -> float:
        tokens, at = self._levels.get(name, (float(self._bucket.burst), now))
        return min(float(self._bucket.burst), tokens + (now - at) * self._bucket.per_second)

    def wait_seconds(self, name: str) -> float:
        """0 while `name` has a token, else how long until it has one again."""
        tokens = self._level(name, self._clock())
        return 0.0 if tokens >= 1 else (1 - tokens) / self._bucket.per_second

    def take(self, name: str) -> None:
        now = self._clock()
        if len(self._levels) >= _LIMIT:
            self._levels = {
                n: v for n, v in self._levels.items() if self._level(n, now) < self._bucket.burst
            }
            if len(self._levels) >= _LIMIT:
                self._levels.clear()
        self._levels[name] = (max(0.0, self._level(name, now) - 1), now)


class SessionLookups:
    def __init__(
        self,
        sessions: SessionStore,
        failures: Bucket,
        *,
        cache_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._failures = LocalBuckets(failures, clock)
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._unknown: dict[str, float] = {}

    async def find(self, address: str, token: str) -> ApiKey | None:
        """The session's caller; None for an unknown token; 429 for an address past its
        unknown tokens."""
        if not _SHAPE.fullmatch(token) or self._known_unknown(token):
            return None
        wait = self._failures.wait_seconds(address)
        if wait > 0:
            seconds = retry_after_seconds(wait)
            raise ApiProblem(
                429,
                "rate_limited",
                f"too many unknown session tokens from this address; retry after {seconds} s",
                headers={"Retry-After": str(seconds)},
            )
        caller = await self._sessions.find(token)
        if caller is None:
            self._failures.take(address)
            self._remember_unknown(token)
        return caller

    def _known_unknown(self, token: str) -> bool:
        until = self._unknown.get(hash_secret(token))
        return until is not None and until > self._clock()

    def _remember_unknown(self, token: str) -> None:
        if self._cache_seconds <= 0:
            return
        now = self._clock()
        if len(self._unknown) >= _LIMIT:
            self._unknown = {h: t for h, t in self._unknown.items() if t > now}
            if len(self._unknown) >= _LIMIT:
                self._unknown.clear()
        self._unknown[hash_secret(token)] = now + self._cache_seconds
