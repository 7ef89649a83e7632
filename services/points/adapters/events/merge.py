"""`points.merged` as a protobuf outbox message."""

from __future__ import annotations

from libs.events import event_meta, outbox_message
from libs.outbox import OutboxMessage
from loyalty.points.v1 import merge_events_pb2 as pb
from services.points.adapters.messages import balance_message
from services.points.domain.merge import PointsMerged

POINTS_MERGED = "points.merged"


def merge_to_outbox(event: PointsMerged) -> OutboxMessage:
    meta = event_meta(event.event_id, event.tenant_id, POINTS_MERGED, event.at)
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
        balance=balance_message(event.balance, with_lots=True),
    )
    return outbox_message(meta, message)
