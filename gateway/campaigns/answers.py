"""What the operators' campaign endpoints answer."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer

from gateway.campaigns.audience_answers import HoldoutOut, HoldoutUnavailable
from gateway.campaigns.bodies import AudienceBody, BudgetBody, HoursBody, LimitsBody
from gateway.edge.fields import Timestamp
from gateway.edge.languages import LocalizedOut

UNAVAILABLE = (
    "Why a campaign with a holdout has no comparison (`holdout` null): "
    "analytics_unavailable (the analytics service did not answer in time, or is not "
    "deployed), analytics_behind (its read model had not applied every event the stream "
    "held when asked, within a second), analytics_rebuilding (a rebuild is replaying its "
    "log), segment_unavailable (the campaign service did not give the segment's members), "
    "marketing_consent_unknown (a coupon campaign reaches only members who consented to "
    "marketing, which the read model does not know); null otherwise. Try again later."
)


class ConditionsOut(BaseModel):
    channels: list[str]
    store_ids: list[str]
    categories: list[str]
    skus: list[str]
    min_total: str | None = Field(description="A decimal string, such as 100.00")
    tiers: list[str]
    min_days_since_enrolment: int | None
    birthday_month: bool
    days_of_week: list[int]
    hours: HoursBody | None
    first_purchase_only: bool
    inactive_days: int | None = None


class EffectOut(BaseModel):
    type: str = Field(description="multiplier, bonus_points or coupon")
    factor: str | None = Field(None, description="multiplier only: a decimal string")
    points: int | None = Field(None, description="bonus_points only")
    template_id: str | None = Field(None, description="coupon only")

    @model_serializer(mode="wrap")
    def _only_its_type_fields(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return {key: value for key, value in handler(self).items() if value is not None}


class ResultsOut(BaseModel):
    members_reached: int = Field(description="Members granted at least once")
    points_granted: int
    budget_left: int | None = Field(description="Null when the campaign has no budget")
    grants: int
    points_reserved: int = Field(description="Held for orders in flight, not granted yet")
    holdout: HoldoutOut | None = Field(
        None,
        description="With a holdout: targeted against held-out members over the campaign's "
        "days, from the analytics read model (the league table's audience, hash and "
        "interval); null without a holdout or when it cannot be had (holdout_unavailable)",
    )
    holdout_unavailable: HoldoutUnavailable | None = Field(None, description=UNAVAILABLE)


class CampaignOut(BaseModel):
    campaign_id: str
    status: str = Field(description="draft, active, paused or ended")
    version: int = Field(description="Grows with every edit of an active or paused campaign")
    name: str
    trigger: str
    starts_at: Timestamp | None
    ends_at: Timestamp | None
    conditions: ConditionsOut
    audience: AudienceBody | None = None
    effect: EffectOut
    budget: BudgetBody | None
    limits: LimitsBody | None
    holdout_percent: int
    priority: int
    exclusive: bool
    results: ResultsOut
    created_at: Timestamp | None
    updated_at: Timestamp | None
    description: str = ""
    translations: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="name and description by language tag"
    )
    localized: LocalizedOut | None = Field(
        None, description="name and description in the reader's language (Accept-Language)"
    )


class CampaignSummaryOut(BaseModel):
    campaign_id: str
    name: str
    trigger: str
    status: str
    version: int
    starts_at: Timestamp | None
    ends_at: Timestamp | None
    translations: dict[str, dict[str, str]] = Field(default_factory=dict)
    localized: LocalizedOut | None = None


class CampaignListOut(BaseModel):
    campaigns: list[CampaignSummaryOut]
