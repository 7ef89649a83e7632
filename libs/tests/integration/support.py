"""Small helpers for the integration tests: events, the stream's contents, waiting."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from uuid import uuid4

from nats.js import JetStreamContext
from nats.js.api import RawStreamMsg
from nats.js.errors import NotFoundError

from libs.grpc.server import Worker
from libs.ids import new_id
from libs.nats import STREAM_NAME
from libs.outbox import OutboxMessage
from libs.stack.handle import ServerHandle


def random_name() -> str:
    """A database, tenant or consumer name of this test's own."""
    return f"t_{uuid4().hex[:8]}"


def an_event(tenant: str, event_type: str = "test.happened") -> OutboxMessage:
    """An event of a type no service consumes: its payload is not a protobuf message, and
    the services' consumers in other tests share the session's stream."""
    return OutboxMessage(
        event_id=new_id("evt_"),
        tenant_id=tenant,
        event_type=event_type,
        payload=b"payload-" + new_id().encode(),
        occurred_at=datetime.now(UTC),
    )


async def messages_on(js: JetStreamContext, subject: str) -> list[RawStreamMsg]:
    """Every message the stream holds on `subject`, in order."""
    found: list[RawStreamMsg] = []
    seq = 1
    while True:
        try:
            msg = await js.get_msg(STREAM_NAME, seq=seq, subject=subject, next=True)
        except NotFoundError:
            return found
        found.append(msg)
        assert msg.seq is not None
        seq = msg.seq + 1


def ids_of(messages: list[RawStreamMsg]) -> list[str]:
    return [(m.headers or {}).get("Nats-Msg-Id", "") for m in messages]


@asynccontextmanager
async def running(worker: Worker) -> AsyncIterator[asyncio.Task[None]]:
    """The worker runs inside the block, and has stopped after it."""
    task = asyncio.create_task(worker.run())
    try:
        yield task
    finally:
        worker.stop()
        await asyncio.wait_for(task, timeout=10)


@asynccontextmanager
async def server_down(server: ServerHandle) -> AsyncIterator[None]:
    """The server is stopped inside the block and running again after it."""
    await asyncio.to_thread(server.stop)
    try:
        yield
    finally:
        await asyncio.to_thread(server.start)


async def all_acked(js: JetStreamContext, durable: str) -> bool:
    """Whether the durable consumer has acknowledged everything delivered to it."""
    try:
        info = await js.consumer_info(STREAM_NAME, durable)
    except NotFoundError:  # the consumer has not subscribed yet
        return False
    return bool(info.num_pending == 0 and info.num_ack_pending == 0 and info.delivered.stream_seq)
