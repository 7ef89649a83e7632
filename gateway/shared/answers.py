"""Answers that several resources give: balances, earning lines, tiers and tier
progress, coupons (so /openapi.json documents each once)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer

from gateway.edge.fields import Timestamp


class BalanceOut(BaseModel):
    """The member's balance right after the call."""

    available: int
    held: int


class LocalizedDescriptionOut(BaseModel):
    description: str = Field(
        description="Rendered from the line's reason code in the answer's Content-Language; "
        "a line without a code as stored"
    )


class EarningLineOut(BaseModel):
    source: str = Field(description="base, tier or campaign")
    points: int
    description: str = Field(description="As written, in the tenant's default language")
    campaign_id: str | None = Field(default=None, description="Only for campaign points")
    localized: LocalizedDescriptionOut | None = Field(
        default=None, description="The description in the reader's language (Accept-Language)"
    )


class ManualTierOut(BaseModel):
    """An operator's tier in force until `until`; then the member reverts to `reverts_to`."""

    reason: str
    until: Timestamp
    reverts_to: str


class LocalizedNameOut(BaseModel):
    """A name in the answer's `Content-Language`: a translation, or as typed."""

    name: str


class TierOut(BaseModel):
    code: str
    name: str = Field(description="As typed in the tenant's default language")
    since: Timestamp | None = None
    # When the qualification period ends: downgrades are judged then.
    period_ends_at: Timestamp | None = None
    manual: ManualTierOut | None = None
    localized: LocalizedNameOut | None = Field(
        default=None,
        description="The tier's name in the reader's language (Accept-Language), from the "
        "tier program's translations",
    )


class NextTierOut(BaseModel):
    code: str
    name: str
    threshold: int
    localized: LocalizedNameOut | None = Field(
        default=None, description="The tier's name in the reader's language"
    )


class TierProgressOut(BaseModel):
    """Where the member stands. Amounts are points earned, or spend in whole currency
    units, as `qualifying_metric` says, over the last `window_days` less returns."""

    member_id: str
    tier: TierOut
    qualifying_metric: str
    window_days: int
    qualifying_amount: int
    next_tier: NextTierOut | None = Field(description="null at the top tier")
    still_needed: int = Field(description="What the next tier still takes; 0 at the top")
    counted_since: Timestamp
    needed_by: Timestamp | None = Field(
        description=(
            "When the oldest purchase counted leaves the window and the amount starts to "
            "fall: reach the next tier by then. null while nothing counts"
        )
    )
    tier_held_until: Timestamp | None = Field(
        description="Until when the current tier holds whatever happens; null if it never drops"
    )


class _Sparse(BaseModel):
    @model_serializer(mode="wrap")
    def _without_nulls(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return {key: value for key, value in handler(self).items() if value is not None}


class DiscountOut(_Sparse):
    kind: str = Field(description="amount_off, percent_off or free_item")
    amount: str | None = Field(None, description="amount_off: a decimal string")
    currency: str | None = None
    percent: int | None = Field(None, description="percent_off: 1 to 100")
    sku: str | None = Field(None, description="free_item: the SKU given away")


class ValidityOut(_Sparse):
    starts_at: Timestamp | None = None
    ends_at: Timestamp | None = None
    days: int | None = Field(None, description="Valid this many days after issue")


class CouponOut(_Sparse):
    coupon_id: str
    code: str
    template_id: str
    name: str
    kind: str = Field(description="member, bearer or public")
    member_id: str | None = None
    discount: DiscountOut
    min_total: str | None = None
    issued_at: Timestamp
    valid_from: Timestamp | None = None
    valid_until: Timestamp | None = None
    max_redemptions: int
    redemptions: int
    per_member_limit: int | None = None
    state: str = Field(description="available, redeemed or expired")
    campaign_id: str | None = None
