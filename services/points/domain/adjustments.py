"""Operator adjustments: a credit or a debit with a reason, applied once per adjustment id.

A credit is a new lot with the tenant's expiry, like earned points, but it is not
`lifetime_earned` (that counts what purchases and campaign rewards earned). A debit takes
from the lots, soonest expiry first, and never from held points; it may take `available`
below zero only when the tenant allows adjustment debt, and that debt is paid by the next
points.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from libs import reasons
from libs.errors import InvalidArgument
from services.points.domain.balances import Balance
from services.points.domain.errors import InsufficientPoints
from services.points.domain.fingerprints import fingerprint
from services.points.domain.ledger import Entry, EntryType
from services.points.domain.lots import Lot
from services.points.domain.parsing import parse_id
from services.points.domain.wallet import Wallet

MAX_ADJUSTMENT = 10**9
MAX_REASON = 200


@dataclass(frozen=True)
class Adjustment:
    adjustment_id: str
    member_id: str
    # Signed: a credit above zero, a debit below.
    points: int
    reason: str

    def fingerprint(self) -> str:
        return fingerprint(
            {"member_id": self.member_id, "points": self.points, "reason": self.reason}
        )


@dataclass(frozen=True)
class AdjustmentRecord:
    """An adjustment applied, with its first answer for retries. A row of a file that was
    refused is kept too (with its refusal and no entry), so that the same file sent again
    answers the same whatever happened in between."""

    tenant_id: str
    adjustment_id: str
    member_id: str
    fingerprint: str
    points: int
    reason: str
    actor: str
    entry_id: str
    balance: Balance
    created_at: datetime
    refusal_code: str = ""
    refusal: str = ""


def parse_reason(raw: str, field: str) -> str:
    reason = " ".join(raw.split())
    if not reason:
        raise InvalidArgument(f"{field}: required")
    if len(reason) > MAX_REASON or not reason.isprintable():
        raise InvalidArgument(f"{field}: at most {MAX_REASON} printable characters")
    return reason


def parse_adjustment(
    adjustment_id: str, member_id: str, points: int, reason: str, *, where: str = ""
) -> Adjustment:
    """`where` prefixes the field names, for a row of a file."""
    if points == 0 or abs(points) > MAX_ADJUSTMENT:
        raise InvalidArgument(f"{where}points: a whole number, not 0, at most {MAX_ADJUSTMENT}")
    return Adjustment(
        parse_id(adjustment_id, f"{where}adjustment_id"),
        parse_id(member_id, f"{where}member_id"),
        points,
        parse_reason(reason, f"{where}reason"),
    )


def adjust(
    wallet: Wallet,
    adjustment: Adjustment,
    *,
    lot_id: str,
    expires_at: datetime | None,
    allow_debt: bool,
    at: datetime,
) -> Entry:
    """Credit a new lot or debit the lots; the `adjust` entry."""
    if adjustment.points > 0:
        points = adjustment.points
        wallet.add_lot(Lot(lot_id, "", points, points, at, expires_at))
    else:
        debit = -adjustment.points
        if debit > wallet.available and not allow_debt:
            raise InsufficientPoints(wallet.available, debit)
        wallet.claw_back(debit, ())
    return wallet.entry(
        EntryType.ADJUST,
        adjustment.points,
        f"adjusted by an operator: {adjustment.reason}",
        at,
        adjustment_id=adjustment.adjustment_id,
        reason_code=reasons.ADJUSTMENT,
        reason_params=reasons.operator_text(adjustment.reason),
    )
