"""The balance read model: what `GET /v1/members/{id}/points` answers, kept in Redis.

The points service writes a member's entry after every commit that changed the wallet,
before it answers, and back-fills it on a `GetBalance` that read the wallet; the gateway
answers a balance read from it in one round trip and asks the points service on a miss.
Each entry carries the wallet's version and a write only lands over an older one (a Lua
compare-and-set), so writers racing after their commits leave the newest balance; it
also carries the id of the server run that wrote it, so that entries a restarted server
brought back from disk (possibly older than what was written since) are never read.

An entry lives `BALANCE_TTL_MS`: a write lost after its commit (a crash in between, Redis
briefly away) is corrected by the wallet's next change or, at the latest, when the entry
expires and the next read back-fills it.

What expires soon depends on when it is read, so an entry keeps every lot's expiry (by
date, soonest first) and the reader keeps those within its horizon, as the wallet does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

BALANCE_TTL_MS = 600_000
EXPIRING_HORIZON = timedelta(days=30)

# Every entry is stamped with the run id of the server that wrote it. A server restarted
# from a snapshot (or an append-only file that missed its last second) holds entries that
# may be older than what was written since; they carry the run before's id, so they are
# neither read nor kept over a write of any version.
_RUN_ID = "string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')"

# KEYS[1] the entry; ARGV: version, body, time to live (ms). 1 when written, 0 when the
# entry holds this version or a newer one, written in this run of the server.
_PUT_IF_NEWER = f"""
local run = {_RUN_ID}
local stored = redis.call('HMGET', KEYS[1], 'r', 'v')
if stored[1] == run and tonumber(stored[2]) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('HSET', KEYS[1], 'r', run, 'v', ARGV[1], 'b', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
"""

# KEYS[1] the entry: its body if it was written in this run of the server, else nil.
_GET_CURRENT = f"""
local entry = redis.call('HMGET', KEYS[1], 'r', 'b')
if entry[1] == {_RUN_ID} then
  return entry[2]
end
return false
"""


# What Redis knows the script by once it was loaded (`EVALSHA`, as redis-py's Script sends it).
_GET_CURRENT_SHA = hashlib.sha1(_GET_CURRENT.encode(), usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class BalanceView:
    """A member's balance at a wallet version; `schedule` is every lot's expiry and what
    it will take, soonest first."""

    version: int
    available: int = 0
    held: int = 0
    pending: int = 0
    lifetime_earned: int = 0
    schedule: tuple[tuple[datetime, int], ...] = field(default_factory=tuple)

    def expiring(
        self, now: datetime, horizon: timedelta = EXPIRING_HORIZON
    ) -> list[tuple[datetime, int]]:
        """What the lots lose by `now + horizon`, soonest first."""
        return [(at, points) for at, points in self.schedule if at <= now + horizon]

    @property
    def empty(self) -> bool:
        return not (self.available or self.held or self.pending or self.lifetime_earned)


def balance_key(tenant_id: str, member_id: str) -> str:
    return f"points:balance:{tenant_id}:{member_id}"


def read_command(tenant_id: str, member_id: str) -> tuple[str, ...]:
    """The command that answers the member's current entry (its body, or nil), for a client
    that sends it in a pipeline of its own; `NOSCRIPT` until a `BalanceViews.get` loaded it."""
    return ("EVALSHA", _GET_CURRENT_SHA, "1", balance_key(tenant_id, member_id))


def encode(view: BalanceView) -> str:
    return json.dumps(
        [
            view.version,
            view.available,
            view.held,
            view.pending,
            view.lifetime_earned,
            [[at.astimezone(UTC).isoformat(), points] for at, points in view.schedule],
        ],
        separators=(",", ":"),
    )


def decode(raw: bytes | str) -> BalanceView:
    version, available, held, pending, lifetime, schedule = json.loads(raw)
    return BalanceView(
        version,
        available,
        held,
        pending,
        lifetime,
        tuple((datetime.fromisoformat(at), points) for at, points in schedule),
    )


class BalanceViews:
    """The entries in Redis. Errors are the caller's: a writer logs them, a reader falls
    back to the points service."""

    def __init__(self, redis: Redis, ttl_ms: int = BALANCE_TTL_MS) -> None:
        self._redis = redis
        self._ttl_ms = ttl_ms
        self._put = redis.register_script(_PUT_IF_NEWER)
        self._get = redis.register_script(_GET_CURRENT)

    async def put(self, tenant_id: str, member_id: str, view: BalanceView) -> bool:
        """Whether it was written (False: the entry is as new or newer)."""
        key = balance_key(tenant_id, member_id)
        written = await self._put(keys=[key], args=[view.version, encode(view), self._ttl_ms])
        return bool(written)

    async def put_many(self, views: Sequence[tuple[str, str, BalanceView]]) -> None:
        """`put` of each (tenant, member, view), in one round trip."""
        if len(views) == 1:
            await self.put(*views[0])
            return
        async with self._redis.pipeline(transaction=False) as pipe:
            for tenant_id, member_id, view in views:
                key = balance_key(tenant_id, member_id)
                await self._put(
                    keys=[key], args=[view.version, encode(view), self._ttl_ms], client=pipe
                )
            await pipe.execute()

    async def get(self, tenant_id: str, member_id: str) -> BalanceView | None:
        raw = await self._get(keys=[balance_key(tenant_id, member_id)])
        return decode(raw) if raw else None

    async def forget(self, tenant_id: str, member_id: str) -> None:
        await self._redis.delete(balance_key(tenant_id, member_id))

    async def forget_many(self, members: Sequence[tuple[str, str]]) -> None:
        """Delete the entries of (tenant, member) pairs, a thousand a round trip."""
        keys = [balance_key(tenant_id, member_id) for tenant_id, member_id in members]
        for start in range(0, len(keys), 1000):
            await self._redis.delete(*keys[start : start + 1000])
