"""The balance read model in a real Valkey: a write lands only over an older version."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from redis.asyncio import Redis

from libs.balance_view import BalanceView, BalanceViews, balance_key
from libs.redis import make_redis

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = make_redis(redis_url)
    yield client
    await client.aclose()


@pytest.fixture
def member() -> str:
    return f"m-{uuid4().hex}"


async def test_a_newer_version_replaces_the_entry_and_an_older_one_never_does(
    redis: Redis, member: str
) -> None:
    views = BalanceViews(redis)
    assert await views.put("t1", member, BalanceView(2, available=200))
    assert not await views.put("t1", member, BalanceView(1, available=100))
    assert not await views.put("t1", member, BalanceView(2, available=999))
    assert await views.get("t1", member) == BalanceView(2, available=200)
    assert await views.put("t1", member, BalanceView(3, available=150, held=50))
    assert await views.get("t1", member) == BalanceView(3, available=150, held=50)


async def test_writers_racing_leave_the_newest_version_whatever_their_order(
    redis: Redis, member: str
) -> None:
    views = BalanceViews(redis)
    writes = [BalanceView(v, available=v * 10) for v in range(1, 41)]
    await asyncio.gather(*(views.put("t1", member, view) for view in reversed(writes)))
    assert await views.get("t1", member) == writes[-1]


async def test_an_entry_keeps_every_lots_expiry_and_the_reader_keeps_its_horizon(
    redis: Redis, member: str
) -> None:
    views = BalanceViews(redis)
    soon, later = NOW + timedelta(days=3), NOW + timedelta(days=200)
    await views.put("t1", member, BalanceView(1, 500, 0, 0, 500, ((soon, 300), (later, 200))))
    found = await views.get("t1", member)
    assert found is not None
    assert found.expiring(NOW) == [(soon, 300)]
    assert found.expiring(NOW + timedelta(days=190)) == [(soon, 300), (later, 200)]


async def test_entries_expire_and_are_kept_per_tenant_and_member(redis: Redis, member: str) -> None:
    views = BalanceViews(redis, ttl_ms=60_000)
    await views.put("t1", member, BalanceView(1, available=5))
    assert await views.get("t2", member) is None
    assert 0 < await redis.pttl(balance_key("t1", member)) <= 60_000
    await views.forget("t1", member)
    assert await views.get("t1", member) is None


async def test_an_entry_from_a_previous_run_of_the_server_is_neither_read_nor_kept(
    redis: Redis, member: str
) -> None:
    views = BalanceViews(redis)
    await views.put("t1", member, BalanceView(5, available=500))
    # as a restart from a snapshot leaves it: written by another run of the server
    await redis.hset(balance_key("t1", member), "r", "0" * 40)
    assert await views.get("t1", member) is None
    assert await views.put("t1", member, BalanceView(3, available=300))
    assert await views.get("t1", member) == BalanceView(3, available=300)


async def test_many_entries_are_written_in_one_round_trip_each_only_over_an_older_version(
    redis: Redis, member: str
) -> None:
    views = BalanceViews(redis)
    others = [f"{member}-{n}" for n in range(3)]
    await views.put("t1", others[0], BalanceView(9, available=9))
    await views.put_many([("t1", m, BalanceView(2, available=n)) for n, m in enumerate(others)])
    assert [await views.get("t1", m) for m in others] == [
        BalanceView(9, available=9),
        BalanceView(2, available=1),
        BalanceView(2, available=2),
    ]
