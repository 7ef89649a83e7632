"""`coupon.issued` and `coupon.redeemed` as protobuf outbox messages."""

from __future__ import annotations

from datetime import datetime

from google.protobuf.timestamp_pb2 import Timestamp

from libs.logging import current_request_id
from libs.outbox import OutboxMessage
from loyalty.campaign.v1 import coupon_events_pb2 as pb
from loyalty.common.v1.common_pb2 import EventMeta
from services.campaign.domain.coupon_events import CouponEvent, CouponIssued

COUPON_ISSUED = "coupon.issued"
COUPON_REDEEMED = "coupon.redeemed"


def _stamp(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


def _meta(event: CouponEvent, event_type: str) -> EventMeta:
    return EventMeta(
        event_id=event.event_id,
        tenant_id=event.coupon.tenant_id,
        type=event_type,
        occurred_at=_stamp(event.at),
        request_id=current_request_id() or "",
    )


def coupon_to_outbox(event: CouponEvent) -> OutboxMessage:
    c = event.coupon
    message: pb.CouponIssued | pb.CouponRedeemed
    if isinstance(event, CouponIssued):
        event_type = COUPON_ISSUED
        message = pb.CouponIssued(
            meta=_meta(event, event_type),
            coupon_id=c.coupon_id,
            template_id=c.template_id,
            kind=c.kind.value,
            member_id=c.member_id,
            campaign_id=c.campaign_id,
            campaign_version=c.campaign_version,
            issue_key=c.issue_key,
            valid_from=_stamp(c.valid_from),
            valid_until=_stamp(c.valid_until),
            max_redemptions=c.max_redemptions,
        )
    else:
        event_type, r = COUPON_REDEEMED, event.redemption
        message = pb.CouponRedeemed(
            meta=_meta(event, event_type),
            coupon_id=c.coupon_id,
            template_id=c.template_id,
            redemption_id=r.redemption_id,
            member_id=r.member_id,
            order_id=r.order_id,
            channel=r.channel,
            store_id=r.store_id,
            total="" if r.total is None else str(r.total),
            currency=r.currency,
            remaining=r.remaining,
        )
    return OutboxMessage(
        event_id=event.event_id,
        tenant_id=c.tenant_id,
        event_type=event_type,
        payload=message.SerializeToString(),
        occurred_at=event.at,
    )
