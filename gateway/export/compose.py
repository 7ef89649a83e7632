"""What the ledger and the coupons say about redemptions and campaigns. No I/O."""

from __future__ import annotations

from collections.abc import Sequence

from gateway.export.answers import CampaignRewardOut, RedemptionRecordOut
from gateway.points.answers import LedgerEntryOut
from gateway.shared.answers import CouponOut


def order_ids(ledger: Sequence[LedgerEntryOut]) -> list[str]:
    """Each order the ledger names, once, newest first."""
    return list(dict.fromkeys(e.order_id for e in ledger if e.order_id and e.type == "earn"))


def redemptions(ledger: Sequence[LedgerEntryOut]) -> list[RedemptionRecordOut]:
    """Newest first, from the redeem entries and their cancellations."""
    cancelled = {
        e.redemption_id: e.created_at
        for e in ledger
        if e.type == "redeem_cancel" and e.redemption_id
    }
    return [
        RedemptionRecordOut(
            redemption_id=e.redemption_id,
            order_id=e.order_id,
            points=-e.points,
            captured_at=e.created_at,
            cancelled_at=cancelled.get(e.redemption_id),
        )
        for e in ledger
        if e.type == "redeem" and e.redemption_id
    ]


def campaign_history(
    ledger: Sequence[LedgerEntryOut], coupons: Sequence[CouponOut]
) -> list[CampaignRewardOut]:
    """The campaigns' points on the ledger, then the coupons campaigns issued."""
    points = [
        CampaignRewardOut(
            campaign_id=e.campaign_id,
            kind="points",
            points=e.points,
            order_id=e.order_id,
            at=e.created_at,
        )
        for e in ledger
        if e.campaign_id
    ]
    issued = [
        CampaignRewardOut(
            campaign_id=c.campaign_id,
            kind="coupon",
            points=0,
            coupon_id=c.coupon_id,
            at=c.issued_at,
        )
        for c in coupons
        if c.campaign_id
    ]
    return points + issued
