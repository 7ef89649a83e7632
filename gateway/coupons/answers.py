"""What the coupon endpoints and the cart preview answer. Fields a kind does not have are
left out rather than sent as null."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer

from gateway.members.merge_models import TierProgressOut
from gateway.members.models import Timestamp
from gateway.points.answers import BalanceOut, EarningLineOut


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


class CouponTemplateOut(_Sparse):
    template_id: str
    name: str
    description: str
    discount: DiscountOut
    min_total: str | None = None
    validity: ValidityOut
    max_redemptions: int
    status: str = Field(description="active or paused")
    created_at: Timestamp
    updated_at: Timestamp


class CouponTemplateListOut(BaseModel):
    templates: list[CouponTemplateOut]


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


class CouponValidationOut(BaseModel):
    valid: bool
    reason: str | None = Field(
        description="Why not: coupon_expired, coupon_used_up, coupon_wrong_member, "
        "coupon_min_total_not_met, coupon_not_yet_valid, coupon_currency_mismatch, "
        "coupon_template_paused, coupon_member_limit_reached, coupon_member_required"
    )
    coupon: CouponOut


class CouponRedemptionOut(BaseModel):
    redemption_id: str
    redeemed_at: Timestamp
    coupon: CouponOut


class MemberCouponsOut(BaseModel):
    member_id: str
    coupons: list[CouponOut]


class CouponBatchOut(BaseModel):
    batch_id: str
    template_id: str
    count: int


class BatchCodeOut(_Sparse):
    code: str
    coupon_id: str
    valid_until: Timestamp | None = None
    state: str


class BatchCodesOut(BaseModel):
    batch_id: str
    codes: list[BatchCodeOut]
    next_after: str | None = Field(description="Pass as `after` for the next page; null at the end")


class CartPointsOut(BaseModel):
    points_earned: int
    breakdown: list[EarningLineOut]
    bonus_pending: bool = Field(description="The campaigns did not answer in time: not counted")


class CartOut(BaseModel):
    member_id: str
    points: CartPointsOut
    balance: BalanceOut = Field(description="The member's balance now; the preview changes nothing")
    coupons: list[CouponOut] = Field(description="The member's coupons that apply to this cart")
    tier_progress: TierProgressOut | None = Field(
        description="null when the tenant has no tier program"
    )
    still_needed_after_cart: int | None = Field(
        description="What the next tier would still take once this cart is paid; null at the top"
    )

    def to_json(self) -> dict[str, Any]:
        """`campaign_id` appears only on the lines that have one, as in an order's answer."""
        document = self.model_dump(mode="json")
        for line in document["points"]["breakdown"]:
            if line.get("campaign_id") is None:
                line.pop("campaign_id", None)
        return document
