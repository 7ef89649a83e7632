"""Events put on a real NATS stream exactly as a service's outbox relay puts them there."""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf.message import Message

from libs.ids import new_id
from libs.nats import NatsConnector
from libs.outbox import OutboxMessage


async def publish(stream: NatsConnector, tenant_id: str, event_type: str, event: Message) -> str:
    """An event on the stream exactly as a service's outbox relay puts it there."""
    event_id = new_id("ev_")
    meta = event.meta  # type: ignore[attr-defined]
    meta.event_id, meta.tenant_id, meta.type = event_id, tenant_id, event_type
    meta.occurred_at.FromDatetime(datetime.now(UTC))
    out = OutboxMessage(
        event_id, tenant_id, event_type, event.SerializeToString(), datetime.now(UTC)
    )
    js = await stream.jetstream()
    await js.publish(out.subject, out.payload, headers=out.headers())
    return event_id
