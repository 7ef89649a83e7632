"""A coupon redemption: recorded once per redemption id, so a till's retry gets the
first answer again."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from libs.errors import Conflict
from services.campaign.coupons.domain.codes import normalise


@dataclass(frozen=True)
class RedeemRequest:
    tenant_id: str
    redemption_id: str
    code: str
    member_id: str
    order_id: str
    total: Decimal | None
    currency: str
    channel: str
    store_id: str

    def fingerprint(self) -> str:
        parts = (
            normalise(self.code),
            self.member_id,
            self.order_id,
            str(self.total or ""),
            self.currency,
        )
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Redemption:
    redemption_id: str
    tenant_id: str
    coupon_id: str
    code: str
    template_id: str
    member_id: str
    order_id: str
    total: Decimal | None
    currency: str
    channel: str
    store_id: str
    redeemed_at: datetime
    # The coupon's redemptions left after this one.
    remaining: int
    fingerprint: str


def same_request(first: Redemption, again: RedeemRequest) -> Redemption:
    """The first answer for a retry; a different request under the same id is refused."""
    if first.fingerprint != again.fingerprint():
        raise Conflict(
            f"redemption {first.redemption_id} was made for another coupon or order",
            code="redemption_conflict",
        )
    return first
