"""The answers of the points endpoints (docs/api.md), as models so /openapi.json documents them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from gateway.edge.fields import Timestamp
from gateway.shared.answers import BalanceOut, EarningLineOut


class OrderOut(BaseModel):
    order_id: str
    member_id: str
    points_earned: int
    breakdown: list[EarningLineOut]
    bonus_pending: bool
    balance: BalanceOut

    def to_json(self) -> dict[str, Any]:
        """`campaign_id` appears only on the lines that have one."""
        return self.model_dump(mode="json", exclude_none=True)


class ReturnOut(BaseModel):
    return_id: str
    order_id: str
    points_reversed: int = Field(description="What came off the balance")
    shortfall: int = Field(
        default=0,
        description="What the return was worth beyond points_reversed: already spent, and "
        "let go because the tenant caps returns at zero (else it is a debt)",
    )
    balance: BalanceOut


class RedemptionOut(BaseModel):
    redemption_id: str
    member_id: str
    status: str = Field(description="held, captured, released, reversed or expired")
    points: int
    order_id: str | None
    store_id: str | None
    expires_at: Timestamp | None
    created_at: Timestamp | None
    balance: BalanceOut


class ExpiringOut(BaseModel):
    points: int
    expires_at: Timestamp


class ExpiringPointsOut(BaseModel):
    """What the member's lots lose within `days` days, soonest first."""

    days: int
    points: int = Field(description="The total of `expiring`")
    expiring: list[ExpiringOut]


class PointsOut(BaseModel):
    available: int
    held: int
    pending: int
    lifetime_earned: int
    expiring: list[ExpiringOut]


class LocalizedReasonOut(BaseModel):
    reason: str = Field(
        description="Rendered from the reason's code in the answer's Content-Language; "
        "an operator's reason, or one without a code, as stored"
    )


class LedgerEntryOut(BaseModel):
    entry_id: str
    type: str = Field(description="earn, bonus, redeem, redeem_cancel, reverse, expire, ...")
    points: int = Field(description="Signed")
    order_id: str | None
    reason: str
    campaign_id: str | None
    redemption_id: str | None
    return_id: str | None
    created_at: Timestamp | None
    reason_code: str | None = Field(
        None, description="campaign_bonus, ...; null for a reason that is only its text"
    )
    reason_params: dict[str, str] = Field(
        default_factory=dict, description="What the code's reason is rendered from"
    )
    localized: LocalizedReasonOut | None = Field(
        None, description="The reason in the reader's language (Accept-Language)"
    )


class LedgerOut(BaseModel):
    """Newest first; `next_cursor` is null on the last page."""

    entries: list[LedgerEntryOut]
    next_cursor: str | None


class CreditedLineOut(BaseModel):
    sku: str
    category: str
    quantity: int
    amount: str = Field(description="The line's share of the amount paid, a decimal string")
    base_points: int = Field(description="The line's share of the base points")


class AppliedCampaignOut(BaseModel):
    campaign_id: str
    campaign_version: int
    kind: str = Field(description="points, or coupon (points 0)")
    points: int
    description: str


class SkippedCampaignOut(BaseModel):
    campaign_id: str
    campaign_version: int
    reason: str = Field(description="A reason code (docs/points.md lists them)")
    reason_text: str = Field(description="The reason in English")
    excluded_by: str | None = Field(
        default=None, description="For `excluded_by`: the exclusive campaign that applied"
    )


class OrderReturnOut(BaseModel):
    return_id: str
    points_reversed: int
    shortfall: int
    created_at: Timestamp | None
    channel: str | None = Field(default=None, description="The channel that returned it")
    store_id: str | None = Field(default=None, description="The store it was returned at")
    key_id: str | None = Field(
        default=None, description="The API key (or operator) that returned it; null: unknown"
    )


class OrderConversionOut(BaseModel):
    """How an order in another currency than the tenant's base was converted."""

    base_currency: str = Field(examples=["CNY"])
    base_total: str = Field(
        examples=["712.34"],
        description="The total in the base currency (at `rate`, to the cent, half up): what "
        "the order earned on and what campaigns' spend conditions saw",
    )
    rate: str = Field(examples=["7.1234"], description="Base units for one unit of `currency`")
    rate_valid_from: Timestamp = Field(description="When the rate used became valid")


_ORDER_EXAMPLE: dict[str, Any] = {
    "order_id": "POS-S001-20261206-0042",
    "member_id": "mem_01EXAMPLE",
    "channel": "pos",
    "store_id": "S001",
    "occurred_at": "2026-12-06T10:15:00Z",
    "credited_at": "2026-12-06T10:15:01Z",
    "currency": "CNY",
    "total": "398.00",
    "lines": [
        {"sku": "SHOE-1", "category": "shoes", "quantity": 1, "amount": "299.00"}
        | {"base_points": 299},
        {"sku": "SOCK-2", "category": "accessories", "quantity": 1, "amount": "99.00"}
        | {"base_points": 99},
    ],
    "points_earned": 448,
    "breakdown": [
        {"source": "base", "points": 398, "description": "1 point per CNY 1"},
        {"source": "campaign", "points": 50, "description": "Shoe week (v2)"}
        | {"campaign_id": "cmp_shoes"},
    ],
    "bonus_pending": False,
    "applied": [
        {"campaign_id": "cmp_shoes", "campaign_version": 2, "kind": "points", "points": 50}
        | {"description": "Shoe week (v2)"}
    ],
    "skipped": [
        {"campaign_id": "cmp_big_basket", "campaign_version": 3, "reason": "min_total"}
        | {"reason_text": "The order's total is below the campaign's minimum."}
        | {"excluded_by": None}
    ],
    "returns": [],
    "points_reversed": 0,
    "returned_amount": "0",
}


class OrderDetailOut(BaseModel):
    """An order as credited, for operators."""

    model_config = ConfigDict(json_schema_extra={"examples": [_ORDER_EXAMPLE]})

    order_id: str
    member_id: str = Field(description="The member holding the order now (after merges)")
    channel: str
    store_id: str | None
    occurred_at: Timestamp | None
    credited_at: Timestamp | None
    currency: str
    total: str
    lines: list[CreditedLineOut]
    points_earned: int = Field(description="With bonuses granted after the order's deadline")
    breakdown: list[EarningLineOut]
    bonus_pending: bool = Field(
        description="The campaign service missed the order's deadline: its campaigns were "
        "evaluated later (their bonuses join `applied` when paid), and `skipped` is empty"
    )
    applied: list[AppliedCampaignOut]
    skipped: list[SkippedCampaignOut] = Field(
        description="Every other active purchase campaign, with why it did not apply"
    )
    returns: list[OrderReturnOut]
    points_reversed: int = Field(description="What the returns took back, in all")
    returned_amount: str = Field(
        description="The amount returned so far, a decimal string in the order's `currency`"
    )
    conversion: OrderConversionOut | None = Field(
        default=None,
        description="Set when the order was in another currency than the tenant's base: "
        "`currency`, `total` and `returned_amount` are the order's own, the lines' `amount`s "
        "are in the base currency",
    )
