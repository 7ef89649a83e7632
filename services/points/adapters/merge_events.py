"""`points.merged` as a protobuf outbox message."""

from __future__ import annotations

from libs.logging import current_request_id
from libs.outbox import OutboxMessage
from loyalty.common.v1.common_pb2 import EventMeta
from loyalty.points.v1 import merge_events_pb2 as pb
from services.points.adapters.messages import balance_message, timestamp
from services.points.domain.merge import PointsMerged

POINTS_MERGED = "points.merged"


def merge_to_outbox(event: PointsMerged) -> OutboxMessage:
    meta = EventMeta(
        event_id=event.event_id,
        tenant_id=event.tenant_id,
        type=POINTS_MERGED,
        occurred_at=timestamp(event.at),
        request_id=current_request_id() or "",
    )
    moved, records = event.moved, event.records
    message = pb.PointsMerged(
        meta=meta,
        member_id=event.member_id,
        merged_id=event.merged_id,
        member_merged_event_id=event.member_merged_event_id,
        points=moved.points,
        held=moved.held,
        pending=moved.pending,
        lots=moved.lots,
        orders=records.orders,
        redemptions=records.redemptions,
        entry_ids=list(event.entry_ids),
        balance=balance_message(event.balance),
    )
    return OutboxMessage(
        event_id=event.event_id,
        tenant_id=event.tenant_id,
        event_type=POINTS_MERGED,
        payload=message.SerializeToString(),
        occurred_at=event.at,
    )
