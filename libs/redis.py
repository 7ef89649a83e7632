"""Redis (or Valkey) for caches, rate limits and short-lived state."""

from __future__ import annotations

from redis.asyncio import Redis


def make_redis(url: str, *, timeout_seconds: float = 2.0) -> Redis:
    return Redis.from_url(
        url,
        socket_timeout=timeout_seconds,
        socket_connect_timeout=timeout_seconds,
        health_check_interval=30,
        decode_responses=False,
    )
