"""Redis (or Valkey) for caches, rate limits and short-lived state."""

from __future__ import annotations

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff

# Connections one process keeps at most. Past them a command waits for a free one (up to
# the timeout) instead of failing at once, as redis-py's default pool does past 100: under
# a burst of concurrent requests that made every check that reads Redis take its
# fallback (the tenant's suspension read from its document, the rate limit failing open).
MAX_CONNECTIONS = 256
# A command that meets a closed connection (the server restarted, or closed an idle one)
# is sent again on a new one. A pool built by hand gets no retries from redis-py, unlike
# `Redis.from_url`; and few, quick ones, so that while Redis is down a caller reaches its
# fallback within about a second rather than after redis-py's ten.
RETRIES = 3
RETRY_BASE_SECONDS = 0.01
RETRY_CAP_SECONDS = 0.25


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
        retry=Retry(
            ExponentialWithJitterBackoff(base=RETRY_BASE_SECONDS, cap=RETRY_CAP_SECONDS), RETRIES
        ),
    )
    return Redis.from_pool(pool)
