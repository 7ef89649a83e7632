"""The JSON of `GET /v1/members/{member_id}/export` (docs/api.md, documented in OpenAPI)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from gateway.edge.fields import Timestamp
from gateway.members.privacy_answers import MemberRecordOut
from gateway.points.answers import LedgerEntryOut, OrderDetailOut
from gateway.shared.answers import CouponOut


class RedemptionRecordOut(BaseModel):
    """A redemption that moved points: captured, and cancelled after capture if it was."""

    redemption_id: str
    order_id: str | None
    points: int = Field(description="Points the capture spent")
    captured_at: Timestamp | None
    cancelled_at: Timestamp | None = None


class CampaignRewardOut(BaseModel):
    """A campaign that rewarded the member: points on the ledger, or a coupon."""

    campaign_id: str
    kind: str = Field(description="points or coupon")
    points: int
    order_id: str | None = None
    coupon_id: str | None = None
    at: Timestamp | None


class MemberExportOut(MemberRecordOut):
    """Everything the platform holds about the member. The member service answers for the
    member, consents, tiers and audit; the points service for the ledger, orders (with
    their returns) and redemptions; the campaign service for coupons; campaign history
    joins the campaigns on the ledger with the coupons they issued."""

    ledger: list[LedgerEntryOut] = Field(description="Every entry, newest first")
    orders: list[OrderDetailOut] = Field(description="Every order on the ledger, with returns")
    redemptions: list[RedemptionRecordOut]
    coupons: list[CouponOut]
    campaign_history: list[CampaignRewardOut]
