"""What the coupons context offers others (campaigns): one coupon issued to a member per
issue key, so a redelivered event or a job run twice issues nothing more."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class CouponIssue:
    tenant_id: str
    member_id: str
    template_id: str
    # Unique per tenant, built like PointsGrant.grant_key.
    issue_key: str
    campaign_id: str = ""
    campaign_version: int = 0


@dataclass(frozen=True)
class IssuedCoupon:
    coupon_id: str
    code: str
    # The key had issued already; this is that coupon.
    replayed: bool


class CouponIssuer(Protocol):
    async def issue(self, issue: CouponIssue) -> IssuedCoupon: ...
