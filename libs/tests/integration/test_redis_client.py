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
