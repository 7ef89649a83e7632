"""`coupon.issued` and `coupon.redeemed` as protobuf outbox messages."""

from __future__ import annotations

from libs.events import event_meta, outbox_message
from libs.outbox import OutboxMessage
from libs.timestamps import optional_timestamp
from loyalty.campaign.v1 import coupon_events_pb2 as pb
from services.campaign.coupons.domain.events import CouponEvent, CouponIssued

COUPON_ISSUED = "coupon.issued"
COUPON_REDEEMED = "coupon.redeemed"


def coupon_to_outbox(event: CouponEvent) -> OutboxMessage:
    c = event.coupon
    message: pb.CouponIssued | pb.CouponRedeemed
    if isinstance(event, CouponIssued):
        event_type = COUPON_ISSUED
        message = pb.CouponIssued(
            meta=event_meta(event.event_id, c.tenant_id, event_type, event.at),
            coupon_id=c.coupon_id,
            template_id=c.template_id,
            kind=c.kind.value,
            member_id=c.member_id,
            campaign_id=c.campaign_id,
            campaign_version=c.campaign_version,
            issue_key=c.issue_key,
            valid_from=optional_timestamp(c.valid_from),
            valid_until=optional_timestamp(c.valid_until),
            max_redemptions=c.max_redemptions,
        )
    else:
        event_type, r = COUPON_REDEEMED, event.redemption
        message = pb.CouponRedeemed(
            meta=event_meta(event.event_id, c.tenant_id, event_type, event.at),
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
    return outbox_message(message.meta, message)
