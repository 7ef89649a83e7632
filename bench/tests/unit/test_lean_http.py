"""The load generator's client reuses only connections the server still keeps open."""

from __future__ import annotations

import asyncio
import time
from typing import cast

from bench.lean_http import IDLE_SECONDS, Answer, LeanClient, _Connection


class FakeWriter:
    def __init__(self) -> None:
        self.closed = False

    def close(self) -> None:
        self.closed = True


def idle_connection(seconds_ago: float) -> tuple[_Connection, FakeWriter]:
    writer = FakeWriter()
    connection = _Connection(asyncio.StreamReader(), cast(asyncio.StreamWriter, writer))
    connection.last_used = time.monotonic() - seconds_ago
    return connection, writer


async def test_the_most_recently_used_idle_connection_is_reused() -> None:
    client = LeanClient("http://127.0.0.1:9")
    older, _ = idle_connection(1.0)
    newer, _ = idle_connection(0.1)
    client._idle = [older, newer]
    assert client._fresh_idle() is newer


async def test_connections_idle_for_too_long_are_closed_not_reused() -> None:
    client = LeanClient("http://127.0.0.1:9")
    stale, stale_writer = idle_connection(IDLE_SECONDS + 1)
    staler, staler_writer = idle_connection(IDLE_SECONDS + 2)
    client._idle = [staler, stale]
    assert client._fresh_idle() is None
    assert stale_writer.closed
    assert staler_writer.closed
    assert client._idle == []


def test_an_answer_is_a_success_only_with_a_2xx_status() -> None:
    assert Answer(status=201).is_success
    assert not Answer(status=409).is_success
    assert Answer(status=200, body=bytearray(b'{"a": 1}')).json() == {"a": 1}
