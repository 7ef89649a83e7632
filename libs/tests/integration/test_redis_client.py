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


async def test_commands_past_the_pools_connections_wait_their_turn_instead_of_failing(
    redis_url: str,
) -> None:
    redis = make_redis(redis_url, max_connections=4)
    try:
        key = f"test:{uuid4().hex}"
        # 40 commands at once on four connections: 36 of them wait for one to be free.
        answers = await asyncio.gather(
            *(redis.incr(key) for _ in range(40)),
            return_exceptions=True,
        )
        assert [a for a in answers if isinstance(a, BaseException)] == []
        assert await redis.get(key) == b"40"
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
