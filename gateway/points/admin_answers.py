"""The answers of the operators' points endpoints, as models for /openapi.json."""

from __future__ import annotations

from pydantic import BaseModel, Field

from gateway.edge.fields import Timestamp
from gateway.shared.answers import BalanceOut


class AdjustmentOut(BaseModel):
    adjustment_id: str
    member_id: str
    points: int = Field(description="Signed: a credit above 0, a debit below")
    reason: str
    entry_id: str = Field(description="The `adjust` entry in the member's ledger")
    created_at: Timestamp | None
    balance: BalanceOut


class RejectedRowOut(BaseModel):
    row: int = Field(description="1 is the first row after the header; blank lines not counted")
    member_id: str
    reason: str
    code: str = Field(
        description="validation_error, member_not_found, member_not_active, "
        "insufficient_points or adjustment_conflict"
    )


class BulkReportOut(BaseModel):
    """What became of each row. Rows already applied under this file id were not applied
    again; rejected rows changed nothing and may be sent again, corrected, in a new file
    or under the same file id."""

    file_id: str
    rows: int
    accepted: int = Field(description="Rows applied by this request")
    already_applied: int = Field(description="Rows an earlier request with this file id applied")
    rejected: list[RejectedRowOut]


class TransferOut(BaseModel):
    transfer_id: str
    from_member_id: str
    to_member_id: str
    points: int
    reason: str
    out_entry_id: str = Field(description="The sender's `transfer_out` entry")
    in_entry_id: str = Field(description="The receiver's `transfer_in` entry")
    created_at: Timestamp | None
    from_balance: BalanceOut
    to_balance: BalanceOut


class DriftingMemberOut(BaseModel):
    member_id: str
    problems: list[str] = Field(description="Each disagreement, for a person")


class ReconciliationOut(BaseModel):
    """Every wallet of the caller's tenant, checked against its ledger (available + held
    equals the sum of its entries), its open holds, and lot by lot against the entries and
    redemptions that name each lot. `drifting` is empty when everything agrees."""

    drifting: list[DriftingMemberOut]


class RedemptionRecordOut(BaseModel):
    """A redemption as operators read it (no balance)."""

    redemption_id: str
    member_id: str
    status: str = Field(description="held, captured, released, reversed or expired")
    points: int
    order_id: str | None
    channel: str | None
    store_id: str | None
    created_at: Timestamp | None
    expires_at: Timestamp | None = Field(description="When a hold not captured is released")


class ExpiringHoldsOut(BaseModel):
    """The tenant's holds not captured yet whose time is up within `within_minutes`."""

    within_minutes: int
    holds: list[RedemptionRecordOut] = Field(description="Soonest expiry first")
