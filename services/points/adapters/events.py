"""Domain events of the points service as protobuf outbox messages."""

from __future__ import annotations

from datetime import datetime

from google.protobuf.message import Message

from libs.logging import current_request_id
from libs.outbox import OutboxMessage
from loyalty.common.v1.common_pb2 import EventMeta
from loyalty.points.v1 import events_pb2 as pb
from loyalty.points.v1.points_pb2 import Balance
from services.points.adapters.messages import balance_message, earning_line_message, timestamp
from services.points.domain.events import (
    DomainEvent,
    PointsEarned,
    PointsRedeemed,
    PointsReleased,
    PointsReversed,
)

EARNED = "points.earned"
REDEEMED = "points.redeemed"
RELEASED = "points.released"
REVERSED = "points.reversed"


def _meta(event_id: str, tenant_id: str, event_type: str, at: datetime) -> EventMeta:
    return EventMeta(
        event_id=event_id,
        tenant_id=tenant_id,
        type=event_type,
        occurred_at=timestamp(at),
        request_id=current_request_id() or "",
    )


def _earned(e: PointsEarned) -> Message:
    order = e.order
    message = pb.PointsEarned(
        meta=_meta(e.event_id, order.tenant_id, EARNED, e.at),
        member_id=order.member_id,
        order_id=order.order_id,
        channel=order.channel,
        store_id=order.store_id,
        order_occurred_at=timestamp(order.occurred_at),
        currency=order.currency,
        total=str(order.total),
        lines=[
            pb.EarnedLine(
                sku=line.sku,
                category=line.category,
                quantity=line.quantity,
                amount=str(line.amount),
                base_points=line.base_points,
            )
            for line in e.lines
        ],
        points=e.points,
        breakdown=[earning_line_message(line) for line in e.breakdown],
        bonus_pending=e.bonus_pending,
        tier_code=e.member.tier_code,
        entry_ids=list(e.entry_ids),
        balance=balance_message(e.balance),
    )
    if e.member.enrolled_at is not None:
        message.member_enrolled_at.CopyFrom(timestamp(e.member.enrolled_at))
    if e.lot_expires_at is not None:
        message.lot_expires_at.CopyFrom(timestamp(e.lot_expires_at))
    return message


def _payload(event: DomainEvent) -> tuple[str, str, Message]:
    """(tenant, event type, message) of a domain event."""
    if isinstance(event, PointsEarned):
        return event.order.tenant_id, EARNED, _earned(event)
    balance = balance_message(event.balance)
    if isinstance(event, PointsRedeemed):
        return (
            event.tenant_id,
            REDEEMED,
            pb.PointsRedeemed(
                meta=_meta(event.event_id, event.tenant_id, REDEEMED, event.at),
                member_id=event.member_id,
                redemption_id=event.redemption_id,
                points=event.points,
                order_id=event.order_id,
                channel=event.channel,
                store_id=event.store_id,
                entry_id=event.entry_id,
                balance=balance,
            ),
        )
    if isinstance(event, PointsReleased):
        return (
            event.tenant_id,
            RELEASED,
            pb.PointsReleased(
                meta=_meta(event.event_id, event.tenant_id, RELEASED, event.at),
                member_id=event.member_id,
                redemption_id=event.redemption_id,
                points=event.points,
                status=event.status,
                entry_id=event.entry_id,
                balance=balance,
            ),
        )
    return event.tenant_id, REVERSED, _reversed(event, balance)


def _reversed(event: PointsReversed, balance: Balance) -> Message:
    return pb.PointsReversed(
        meta=_meta(event.event_id, event.tenant_id, REVERSED, event.at),
        member_id=event.member_id,
        order_id=event.order_id,
        return_id=event.return_id,
        points=event.points,
        entry_id=event.entry_id,
        balance=balance,
    )


def to_outbox(event: DomainEvent) -> OutboxMessage:
    tenant_id, event_type, message = _payload(event)
    return OutboxMessage(
        event_id=event.event_id,
        tenant_id=tenant_id,
        event_type=event_type,
        payload=message.SerializeToString(),
        occurred_at=event.at,
    )
