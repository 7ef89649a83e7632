"""The answer of `POST /v1/carts/evaluate`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from gateway.shared.answers import BalanceOut, CouponOut, EarningLineOut, TierProgressOut


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
