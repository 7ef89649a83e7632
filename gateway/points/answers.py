"""The answers of the points endpoints (docs/api.md), as models so /openapi.json documents them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

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


class LedgerOut(BaseModel):
    """Newest first; `next_cursor` is null on the last page."""

    entries: list[LedgerEntryOut]
    next_cursor: str | None
