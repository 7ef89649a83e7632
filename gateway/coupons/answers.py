"""What the coupon endpoints and the cart preview answer. Fields a kind does not have are
left out rather than sent as null."""

from __future__ import annotations

from pydantic import BaseModel, Field

from gateway.edge.fields import Timestamp
from gateway.edge.languages import LocalizedOut
from gateway.shared.answers import (
    CouponOut,
    DiscountOut,
    ValidityOut,
    _Sparse,
)


class TemplateUsageOut(BaseModel):
    """How much the template's coupons have been used, counted when asked."""

    coupons: int = Field(description="Its coupons: issued to members, generated, public codes")
    redemptions: int = Field(description="Times they were redeemed (each use of a public code)")
    coupons_redeemed: int = Field(description="Coupons redeemed at least once")


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
    usage: TemplateUsageOut | None = Field(
        None, description="On reads of templates (one or the list); not on changes"
    )
    translations: dict[str, dict[str, str]] | None = Field(
        None, description="name and description by language tag"
    )
    localized: LocalizedOut | None = Field(
        None, description="name and description in the reader's language (Accept-Language)"
    )


class CouponTemplateListOut(BaseModel):
    templates: list[CouponTemplateOut]


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
