"""The lean Redis client against a real server: pipelines, callers sharing the
connection, and failing fast when nothing answers."""

from __future__ import annotations

import asyncio
import socket

import pytest

from libs.ids import new_id
from libs.lean_redis import LeanRedis, LeanRedisError, ReplyError


async def test_a_pipeline_answers_each_command_in_order(redis_url: str) -> None:
    client, key = LeanRedis(redis_url, timeout_seconds=2), f"lean:{new_id()}"
    try:
        replies = await client.pipeline(
            [("SET", key, "1200"), ("GET", key), ("EXISTS", key), ("GET", f"{key}:none")]
        )
    finally:
        await client.aclose()

    assert replies == [b"OK", b"1200", 1, None]


async def test_callers_at_once_get_their_own_replies(redis_url: str) -> None:
    client = LeanRedis(redis_url, timeout_seconds=2)
    keys = [f"lean:{new_id()}" for _ in range(50)]
    await client.pipeline([("SET", key, key) for key in keys])
    try:
        replies = await asyncio.gather(
            *(client.pipeline([("GET", key), ("EXISTS", key)]) for key in keys)
        )
    finally:
        await client.aclose()

    assert replies == [[key.encode(), 1] for key in keys]


async def test_an_unloaded_script_is_its_commands_error(redis_url: str) -> None:
    client = LeanRedis(redis_url, timeout_seconds=2)
    try:
        (reply,) = await client.pipeline([("EVALSHA", "0" * 40, "0")])
    finally:
        await client.aclose()

    assert isinstance(reply, ReplyError)
    assert reply.message.startswith("NOSCRIPT")


async def test_nothing_listening_fails_at_once_then_is_not_tried_again_for_a_while() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    now = [100.0]
    client = LeanRedis(f"redis://127.0.0.1:{port}", timeout_seconds=1, clock=lambda: now[0])

    with pytest.raises(LeanRedisError, match="cannot connect"):
        await client.pipeline([("PING",)])
    with pytest.raises(LeanRedisError, match="not connecting again"):
        await client.pipeline([("PING",)])
    now[0] += 1.5
    with pytest.raises(LeanRedisError, match="cannot connect"):
        await client.pipeline([("PING",)])


async def test_a_server_that_does_not_answer_times_out() -> None:
    server = await asyncio.start_server(lambda reader, writer: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client = LeanRedis(f"redis://127.0.0.1:{port}", timeout_seconds=0.2)
    try:
        with pytest.raises(LeanRedisError, match="no answer"):
            await client.pipeline([("PING",)])
        with pytest.raises(LeanRedisError, match="not connecting again"):
            await client.pipeline([("PING",)])
    finally:
        await client.aclose()
        server.close()
