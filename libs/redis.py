"""Redis (or Valkey) for caches, rate limits and short-lived state."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

# Connections one process keeps at most; past them a command fails at once (and the
# caller takes its fallback). redis-py's default of 100 was too few for a gateway's burst
# of concurrent requests: every check that reads Redis took its fallback (the tenant's
# suspension read from its document, the rate limit failing open). A pool that waits
# for a free connection instead was seen to stall: after a Redis restart in the fault
# suite, the points service's calls waited out their deadlines while it held no Redis
# connection at all (its pool counted connections as in use that it never got back).
# This one never waits.
MAX_CONNECTIONS = 1024
# A command that meets a closed connection (the server restarted, or closed an idle one)
# is sent again, once, at once, on the connection made anew; while Redis is down a
# caller reaches its fallback after one more refused connect, not after redis-py's ten
# retries with backoff.
RETRIES = 1


def make_redis(
    url: str, *, timeout_seconds: float = 2.0, max_connections: int = MAX_CONNECTIONS
) -> Redis:
    return Redis.from_url(
        url,
        max_connections=max_connections,
        socket_timeout=timeout_seconds,
        socket_connect_timeout=timeout_seconds,
        health_check_interval=30,
        decode_responses=False,
        retry=Retry(NoBackoff(), RETRIES),
    )
