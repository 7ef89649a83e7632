"""The header every event carries and the outbox row it leaves in, built once for every
service."""

from __future__ import annotations

from datetime import datetime

from google.protobuf.message import Message

from libs.logging import current_request_id
from libs.outbox import OutboxMessage
from libs.timestamps import aware, timestamp
from loyalty.common.v1.common_pb2 import EventMeta


def event_meta(event_id: str, tenant_id: str, event_type: str, occurred_at: datetime) -> EventMeta:
    """The event's header, with the request that caused it."""
    return EventMeta(
        event_id=event_id,
        tenant_id=tenant_id,
        type=event_type,
        occurred_at=timestamp(occurred_at),
        request_id=current_request_id() or "",
    )


def outbox_message(meta: EventMeta, payload: Message) -> OutboxMessage:
    """The outbox row for `payload`, addressed by its header."""
    return OutboxMessage(
        event_id=meta.event_id,
        tenant_id=meta.tenant_id,
        event_type=meta.type,
        payload=payload.SerializeToString(),
        occurred_at=aware(meta.occurred_at),
    )
