"""What the segment, dry-run and backtest endpoints answer, and a campaign's holdout."""

from __future__ import annotations

from pydantic import BaseModel, Field

from gateway.edge.fields import Timestamp


class SegmentRulesOut(BaseModel):
    tiers: list[str]
    channels: list[str]
    store_ids: list[str]
    marketing_consent: bool
    recency_days: int | None
    window_days: int | None
    min_orders: int | None
    min_spend: str | None


class SegmentOut(BaseModel):
    segment_id: str
    name: str
    rules: SegmentRulesOut
    size: int = Field(description="Members in the materialised membership at refreshed_at")
    refreshed_at: Timestamp | None
    created_at: Timestamp | None
    updated_at: Timestamp | None


class SegmentListOut(BaseModel):
    segments: list[SegmentOut]


class SegmentPreviewOut(BaseModel):
    size: int = Field(description="How many members the rules hold now")


class DryRunOut(BaseModel):
    applies: bool
    points: int = Field(description="Bonus points the campaign would add to this cart")
    reason: str | None = Field(description="Why it would not apply (tier, segment, holdout…)")
    coupon_template_id: str | None


class BacktestOut(BaseModel):
    days: int
    orders_replayed: int
    grants: int
    points_granted: int
    members_reached: int
    budget_used: int | None = Field(description="Null when the campaign has no budget")
    budget_ran_out_on: str | None = Field(
        description="The local date the budget would have run out; null when it lasted"
    )
    from_: Timestamp | None = Field(alias="from")
    to: Timestamp | None


class HoldoutGroupOut(BaseModel):
    members: int
    orders: int
    spend: str
    orders_per_member: str
    spend_per_member: str


class HoldoutOut(BaseModel):
    """Targeted against held-out members of the audience over the campaign's window."""

    targeted: HoldoutGroupOut
    held_out: HoldoutGroupOut
    uplift: str | None = Field(description="Spend per member, targeted less held out")
    uplift_low: str | None = Field(description="95% confidence interval (Welch's t)")
    uplift_high: str | None
