"""Redis (or Valkey) for caches, rate limits and short-lived state."""

from __future__ import annotations

from redis.asyncio import BlockingConnectionPool, Redis

# Connections one process keeps at most. Past them a command waits for a free one (up to
# the timeout) instead of failing at once, as redis-py's default pool does past 100: under
# a burst of concurrent requests that made every check that reads Redis take its
# fallback (the tenant's suspension read from its document, the rate limit failing open).
MAX_CONNECTIONS = 256


def make_redis(
    url: str, *, timeout_seconds: float = 2.0, max_connections: int = MAX_CONNECTIONS
) -> Redis:
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=max_connections,
        timeout=timeout_seconds,
        socket_timeout=timeout_seconds,
        socket_connect_timeout=timeout_seconds,
        health_check_interval=30,
        decode_responses=False,
    )
    return Redis.from_pool(pool)
