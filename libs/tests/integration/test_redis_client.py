"""The Redis client factory against a real Valkey server."""

from __future__ import annotations

import asyncio
from uuid import uuid4

from libs.redis import make_redis


async def test_the_client_stores_short_lived_state_that_expires(redis_url: str) -> None:
    redis = make_redis(redis_url)
    try:
        key = f"test:{uuid4().hex}"
        assert await redis.ping()
        await redis.set(key, b"held", px=200)
        assert await redis.get(key) == b"held"
        await asyncio.sleep(0.4)
        assert await redis.get(key) is None
    finally:
        await redis.aclose()


async def test_a_burst_of_concurrent_commands_past_redis_pys_default_pool_all_succeed(
    redis_url: str,
) -> None:
    redis = make_redis(redis_url)
    try:
        key = f"test:{uuid4().hex}"
        # More at once than redis-py's default pool of 100 connections would allow.
        answers = await asyncio.gather(
            *(redis.incr(key) for _ in range(300)),
            return_exceptions=True,
        )
        assert [a for a in answers if isinstance(a, BaseException)] == []
        assert await redis.get(key) == b"300"
    finally:
        await redis.aclose()


async def test_a_connection_the_server_closed_is_replaced_without_failing_the_command(
    redis_url: str,
) -> None:
    redis = make_redis(redis_url, max_connections=1)
    admin = make_redis(redis_url)
    try:
        first = await redis.client_id()
        # The server drops the pool's only connection, as a restarted Redis would.
        assert await admin.client_kill_filter(_id=str(first)) == 1
        assert await redis.ping()
        assert await redis.client_id() != first
    finally:
        await redis.aclose()
        await admin.aclose()
