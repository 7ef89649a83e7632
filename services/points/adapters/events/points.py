"""Domain events of the points service as protobuf outbox messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from google.protobuf.message import Message

from libs.events import event_meta, outbox_message
from libs.outbox import OutboxMessage
from libs.timestamps import timestamp
from loyalty.points.v1 import events_pb2 as pb
from services.points.adapters.messages import (
    balance_message,
    conversion_message,
    earning_line_message,
)
from services.points.domain.events import (
    DomainEvent,
    PointsAdjusted,
    PointsConfirmed,
    PointsEarned,
    PointsExpired,
    PointsExpiring,
    PointsGranted,
    PointsHeld,
    PointsRedeemed,
    PointsReleased,
    PointsReversed,
    PointsTransferred,
)


def _earned(e: PointsEarned) -> dict[str, Any]:
    order = e.order
    fields: dict[str, Any] = {
        "order_id": order.order_id,
        "channel": order.channel,
        "store_id": order.store_id,
        "order_occurred_at": timestamp(order.occurred_at),
        "currency": order.currency,
        "total": str(order.total),
        "lines": [
            pb.EarnedLine(
                sku=line.sku,
                category=line.category,
                quantity=line.quantity,
                amount=str(line.amount),
                base_points=line.base_points,
            )
            for line in e.lines
        ],
        "points": e.points,
        "breakdown": [earning_line_message(line) for line in e.breakdown],
        "bonus_pending": e.bonus_pending,
        "tier_code": e.member.tier_code,
        "entry_ids": list(e.entry_ids),
        "time_zone": e.time_zone,
        "birth_month": e.member.birth_month,
        "first_purchase": e.first_purchase,
        "coupon_campaign_ids": list(e.coupon_campaign_ids),
        "campaign_holds": [
            pb.CampaignHold(
                campaign_id=b.campaign_id, reservation_id=b.reservation_id, points=b.points
            )
            for b in e.campaign_bonuses
            if b.reservation_id and b.points > 0
        ],
    }
    if e.conversion is not None:
        fields["conversion"] = conversion_message(e.conversion)
    for name, value in (
        ("member_enrolled_at", e.member.enrolled_at),
        ("lot_expires_at", e.lot_expires_at),
        ("pending_until", e.pending_until),
    ):
        if value is not None:
            fields[name] = timestamp(value)
    return fields


def _granted(e: PointsGranted) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "grant_key": e.grant_key,
        "points": e.points,
        "campaign_id": e.campaign_id,
        "campaign_version": e.campaign_version,
        "reason": e.reason,
        "order_id": e.order_id,
        "entry_id": e.entry_id,
    }
    if e.lot_expires_at is not None:
        fields["lot_expires_at"] = timestamp(e.lot_expires_at)
    return fields


def _redeemed(e: PointsRedeemed) -> dict[str, Any]:
    return {
        "redemption_id": e.redemption_id,
        "points": e.points,
        "order_id": e.order_id,
        "channel": e.channel,
        "store_id": e.store_id,
        "entry_id": e.entry_id,
    }


def _held(e: PointsHeld) -> dict[str, Any]:
    return {
        "redemption_id": e.redemption_id,
        "points": e.points,
        "order_id": e.order_id,
        "channel": e.channel,
        "store_id": e.store_id,
    }


def _released(e: PointsReleased) -> dict[str, Any]:
    return {
        "redemption_id": e.redemption_id,
        "points": e.points,
        "status": e.status,
        "entry_id": e.entry_id,
    }


def _reversed(e: PointsReversed) -> dict[str, Any]:
    fields = {
        "order_id": e.order_id,
        "return_id": e.return_id,
        "points": e.points,
        "entry_id": e.entry_id,
        "shortfall": e.shortfall,
        "channel": e.channel,
        "store_id": e.store_id,
        "currency": e.currency,
        "amount": str(e.amount),
        "lines": [
            pb.EarnedLine(
                sku=line.sku,
                category=line.category,
                quantity=line.quantity,
                amount=str(line.amount),
            )
            for line in e.lines
        ],
    }
    if e.conversion is not None:
        fields["conversion"] = conversion_message(e.conversion)
    return fields


def _confirmed(e: PointsConfirmed) -> dict[str, Any]:
    return {"order_ids": list(e.order_ids), "points": e.points, "entry_ids": list(e.entry_ids)}


def _expired(e: PointsExpired) -> dict[str, Any]:
    return {"points": e.points, "entry_ids": list(e.entry_ids)}


def _adjusted(e: PointsAdjusted) -> dict[str, Any]:
    return {
        "adjustment_id": e.adjustment_id,
        "points": e.points,
        "actor": e.actor,
        "entry_id": e.entry_id,
    }


def _transferred(e: PointsTransferred) -> dict[str, Any]:
    return {
        "transfer_id": e.transfer_id,
        "to_member_id": e.to_member_id,
        "points": e.points,
        "actor": e.actor,
        "out_entry_id": e.out_entry_id,
        "in_entry_id": e.in_entry_id,
        "to_balance": balance_message(e.to_balance, with_lots=True),
    }


def _expiring(e: PointsExpiring) -> dict[str, Any]:
    return {
        "points": e.points,
        "lots": [
            pb.ExpiringLot(
                lot_id=lot.lot_id,
                points=lot.points,
                expires_at=timestamp(lot.expires_at),
                order_id=lot.order_id,
            )
            for lot in e.lots
        ],
    }


# event class -> (event type, protobuf message, its fields beyond meta, member and balance)
_SHAPES: dict[type, tuple[str, type[Message], Callable[[Any], dict[str, Any]]]] = {
    PointsEarned: ("points.earned", pb.PointsEarned, _earned),
    PointsGranted: ("points.granted", pb.PointsGranted, _granted),
    PointsRedeemed: ("points.redeemed", pb.PointsRedeemed, _redeemed),
    PointsHeld: ("points.held", pb.PointsHeld, _held),
    PointsReleased: ("points.released", pb.PointsReleased, _released),
    PointsReversed: ("points.reversed", pb.PointsReversed, _reversed),
    PointsConfirmed: ("points.confirmed", pb.PointsConfirmed, _confirmed),
    PointsExpired: ("points.expired", pb.PointsExpired, _expired),
    PointsAdjusted: ("points.adjusted", pb.PointsAdjusted, _adjusted),
    PointsTransferred: ("points.transferred", pb.PointsTransferred, _transferred),
    PointsExpiring: ("points.expiring", pb.PointsExpiring, _expiring),
}


def to_outbox(event: DomainEvent) -> OutboxMessage:
    event_type, message_class, fields = _SHAPES[type(event)]
    if isinstance(event, PointsEarned):
        tenant_id, member_id = event.order.tenant_id, event.order.member_id
    else:
        tenant_id, member_id = event.tenant_id, event.member_id
    meta = event_meta(event.event_id, tenant_id, event_type, event.at)
    message = message_class(
        meta=meta,
        member_id=member_id,
        balance=balance_message(event.balance, with_lots=True),
        **fields(event),
    )
    return outbox_message(meta, message)
