"""What the segment, dry-run, backtest and daily-results endpoints answer, and a
campaign's holdout."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gateway.edge.fields import Timestamp

HoldoutUnavailable = Literal[
    "analytics_unavailable",
    "analytics_behind",
    "analytics_rebuilding",
    "segment_unavailable",
    "marketing_consent_unknown",
]


class SegmentRulesOut(BaseModel):
    tiers: list[str]
    channels: list[str]
    store_ids: list[str]
    marketing_consent: bool
    recency_days: int | None
    window_days: int | None
    min_orders: int | None
    min_spend: str | None
    min_days_since_purchase: int | None = None
    max_orders: int | None = None
    max_spend: str | None = None
    profiling_consent: bool = False


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


class BacktestDayOut(BaseModel):
    date: str = Field(description="A local date (YYYY-MM-DD) in the tenant's time zone")
    points_granted: int
    grants: int
    budget_left: int | None = Field(
        description="At the day's end; null when the campaign has no budget"
    )


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
    daily: list[BacktestDayOut] = Field(
        description="Every local day of the window, oldest first, quiet days included"
    )


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
    from_day: str | None = Field(
        default=None,
        description="The first of the tenant's days compared (YYYY-MM-DD): the campaign's "
        "start day, or its creation's",
    )
    to_day: str | None = Field(
        default=None,
        description="The last day compared: its end day, or today; before from_day while the "
        "campaign has not begun",
    )


class GroupDayOut(BaseModel):
    orders: int
    spend: str = Field(description="Spend less returns, a decimal string")


class CampaignDayOut(BaseModel):
    date: str = Field(description="A local date (YYYY-MM-DD) in the tenant's time zone")
    members_reached: int = Field(description="Members rewarded for the first time that day")
    points_granted: int
    grants: int
    budget_left: int | None = Field(
        description="At the day's end, from the points granted so far; null without a budget"
    )
    targeted: GroupDayOut | None = Field(
        description="Orders and spend (less that day's returns) of the targeted audience "
        "(every audience member without a holdout), from the analytics read model; null when "
        "it cannot answer (`holdout_unavailable`)"
    )
    held_out: GroupDayOut | None = Field(
        description="Orders and spend of the held-out members; null without a holdout or "
        "when the read model cannot answer"
    )
    uplift: str | None = Field(
        default=None,
        description="Spend per member, targeted less held out, from the campaign's start to "
        "the day's end; null without a holdout or with fewer than two members in a group",
    )
    uplift_low: str | None = Field(
        default=None, description="Its 95% confidence interval (Welch's t), as of the day"
    )
    uplift_high: str | None = None


class CampaignDaysOut(BaseModel):
    campaign_id: str
    time_zone: str = Field(description="The tenant's time zone the dates are in")
    days: list[CampaignDayOut]
    holdout_unavailable: HoldoutUnavailable | None = Field(
        None,
        description="Why the days' `targeted`, `held_out` and uplift are null: the analytics "
        "read model could not answer (as `results.holdout_unavailable` of "
        "`GET /v1/admin/campaigns/{campaign_id}`); null otherwise. The grants, points, "
        "members reached and budget still answer.",
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "campaign_id": "cmp_01",
                    "time_zone": "Asia/Shanghai",
                    "days": [
                        {
                            "date": "2026-11-25",
                            "members_reached": 12,
                            "points_granted": 3588,
                            "grants": 14,
                            "budget_left": 96412,
                            "targeted": {"orders": 14, "spend": "4210.00"},
                            "held_out": {"orders": 2, "spend": "398.00"},
                            "uplift": "12.40",
                            "uplift_low": "-3.10",
                            "uplift_high": "27.90",
                        }
                    ],
                    "holdout_unavailable": None,
                }
            ]
        }
    )
