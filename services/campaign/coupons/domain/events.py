"""What happened to coupons, for the outbox (`coupon.issued`, `coupon.redeemed`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.campaign.coupons.domain.coupons import Coupon
from services.campaign.coupons.domain.redemptions import Redemption


@dataclass(frozen=True)
class CouponIssued:
    event_id: str
    coupon: Coupon
    at: datetime


@dataclass(frozen=True)
class CouponRedeemed:
    event_id: str
    coupon: Coupon
    redemption: Redemption
    at: datetime


CouponEvent = CouponIssued | CouponRedeemed
