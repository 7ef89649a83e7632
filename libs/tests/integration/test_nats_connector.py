"""The connector hands out JetStream, fails fast while NATS is away, and recovers."""

from __future__ import annotations

import asyncio
import time

import pytest

from libs.nats import STREAM_NAME, NatsConnector
from libs.stack.servers import free_port


async def test_the_first_use_creates_the_event_stream(connector: NatsConnector) -> None:
    js = await connector.jetstream()

    info = await js.stream_info(STREAM_NAME)

    assert info.config.subjects == ["loyalty.>"]
    assert info.config.duplicate_window == 15 * 60
    assert connector.connected


async def test_asking_while_nats_is_unreachable_fails_within_the_connect_timeout() -> None:
    connector = NatsConnector(f"nats://127.0.0.1:{free_port()}", "libs-tests", connect_timeout=0.5)
    started = time.monotonic()

    with pytest.raises(TimeoutError):  # nats-py alone would retry forever
        await asyncio.wait_for(connector.jetstream(), timeout=5)

    assert time.monotonic() - started < 2.0
    assert not connector.connected
    await connector.close()


async def test_a_closed_connector_connects_again_on_the_next_use(connector: NatsConnector) -> None:
    await connector.jetstream()
    await connector.close()
    assert not connector.connected

    js = await connector.jetstream()

    assert (await js.stream_info(STREAM_NAME)).config.name == STREAM_NAME
    assert connector.connected
