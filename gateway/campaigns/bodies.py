"""The request body of the operators' campaign endpoints, as strict models: unknown
fields are refused, money is a decimal string, each effect type has its own shape."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictBool, StrictInt, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from gateway.edge.fields import Category, Instant, Money, Sku, StoreId, Strict
from gateway.edge.languages import TRANSLATIONS_DESCRIPTION, LanguageTag
from libs.languages import MAX_LOCALES

Name = Annotated[str, Field(min_length=1, max_length=200)]
Description = Annotated[str, Field(max_length=2000)]
Code = Annotated[str, Field(min_length=1, max_length=64)]
Codes = Annotated[list[Code], Field(max_length=500)]
Channel = Literal["pos", "ecommerce", "miniprogram", "app"]
Trigger = Literal[
    "purchase", "enrollment", "birthday", "tier_upgrade", "inactivity", "points_expiring"
]
Factor = Annotated[
    Decimal,
    Field(gt=1, le=100, max_digits=8, decimal_places=4, description="2 doubles the base points"),
]


class HoursBody(Strict):
    """Local hours [start, end) in the tenant's time zone; start > end wraps past midnight."""

    start: Annotated[StrictInt, Field(ge=0, le=23)]
    end: Annotated[StrictInt, Field(ge=0, le=24)]


class ConditionsBody(Strict):
    """Every condition is optional; all must hold; a list means "any of"."""

    channels: list[Channel] = []
    store_ids: Annotated[list[StoreId], Field(max_length=500)] = []
    categories: Annotated[list[Category], Field(max_length=500)] = []
    skus: Annotated[list[Sku], Field(max_length=500)] = []
    min_total: Money | None = None
    tiers: Codes = []
    min_days_since_enrolment: Annotated[StrictInt, Field(ge=0, le=36500)] | None = None
    birthday_month: StrictBool = Field(False, description="Only in the member's birth month")
    days_of_week: Annotated[
        list[Annotated[StrictInt, Field(ge=1, le=7)]],
        Field(max_length=7, description="ISO weekdays: 1 is Monday, 7 Sunday"),
    ] = []
    hours: HoursBody | None = None
    first_purchase_only: StrictBool = False
    inactive_days: Annotated[StrictInt, Field(ge=1, le=3660)] | None = Field(
        None, description="inactivity campaigns: no purchase for this many days"
    )


class MultiplierEffect(Strict):
    type: Literal["multiplier"]
    factor: Factor


class BonusPointsEffect(Strict):
    type: Literal["bonus_points"]
    points: Annotated[StrictInt, Field(gt=0, le=10**9)]


class CouponEffect(Strict):
    type: Literal["coupon"]
    template_id: Code


EffectBody = Annotated[
    MultiplierEffect | BonusPointsEffect | CouponEffect, Field(discriminator="type")
]


class AudienceBody(Strict):
    """Only the members of this segment (see /v1/admin/segments)."""

    segment_id: Code


class BudgetBody(Strict):
    points: Annotated[StrictInt, Field(gt=0, le=10**12)]


class LimitsBody(Strict):
    per_member: Annotated[StrictInt, Field(gt=0, le=10**6)]


class CampaignTextsBody(Strict):
    """A campaign's texts in one other language; a field left out reads as typed."""

    name: Name | None = None
    description: Annotated[str, Field(min_length=1, max_length=2000)] | None = None


class CampaignBody(Strict):
    """`POST /v1/admin/campaigns` (a draft) and `PUT /v1/admin/campaigns/{id}` (the whole
    definition; on an active or paused campaign it makes a new version)."""

    name: Name
    trigger: Trigger
    starts_at: Instant | None = None
    ends_at: Instant | None = None
    conditions: ConditionsBody = ConditionsBody()
    audience: AudienceBody | None = None
    effect: EffectBody
    budget: BudgetBody | None = None
    limits: LimitsBody | None = None
    holdout_percent: Annotated[StrictInt, Field(ge=0, le=100)] = 0
    priority: Annotated[StrictInt, Field(ge=-1000, le=1000, description="Higher first")] = 0
    exclusive: StrictBool = Field(False, description="When it applies, nothing below it does")
    description: Description = Field("", description="For people; members may see it")
    translations: Annotated[dict[LanguageTag, CampaignTextsBody], Field(max_length=MAX_LOCALES)] = (
        Field(default_factory=dict, description=TRANSLATIONS_DESCRIPTION)
    )

    @field_validator("ends_at")
    @classmethod
    def _ends_after_it_starts(
        cls, ends_at: datetime | None, info: ValidationInfo
    ) -> datetime | None:
        starts_at = info.data.get("starts_at")
        if starts_at is not None and ends_at is not None and ends_at <= starts_at:
            raise PydanticCustomError("ends_before_start", "must be after starts_at")
        return ends_at


BODY_MODELS: tuple[type[BaseModel], ...] = (CampaignBody,)
