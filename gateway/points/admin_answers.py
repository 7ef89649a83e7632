"""The answers of the operators' points endpoints, as models for /openapi.json."""

from __future__ import annotations

from pydantic import BaseModel, Field

from gateway.members.models import Timestamp
from gateway.points.answers import BalanceOut


class AdjustmentOut(BaseModel):
    adjustment_id: str
    member_id: str
    points: int = Field(description="Signed: a credit above 0, a debit below")
    reason: str
    entry_id: str = Field(description="The `adjust` entry in the member's ledger")
    created_at: Timestamp | None
    balance: BalanceOut
