"""Transfers: points move from one member to another of the tenant, within a daily limit.

The points leave the sender's lots soonest expiry first and arrive in the receiver's
wallet as lots that keep those expiries, so a transfer never makes points live longer.
Transfers never create a debt, and count towards the sender's limit for the tenant's day.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from libs import reasons
from libs.errors import InvalidArgument
from libs.ids import new_id
from services.points.domain.adjustments import parse_reason
from services.points.domain.balances import Balance
from services.points.domain.errors import TransferLimitExceeded, TransfersDisabled
from services.points.domain.fingerprints import fingerprint
from services.points.domain.ledger import Entry, EntryType
from services.points.domain.lots import Lot
from services.points.domain.parsing import parse_id, parse_points
from services.points.domain.wallet import Wallet

DEFAULT_REASON = "points transfer"


@dataclass(frozen=True)
class Transfer:
    transfer_id: str
    from_member_id: str
    to_member_id: str
    points: int
    reason: str

    def fingerprint(self) -> str:
        return fingerprint(
            {
                "from": self.from_member_id,
                "to": self.to_member_id,
                "points": self.points,
                "reason": self.reason,
            }
        )


@dataclass(frozen=True)
class TransferRecord:
    """A transfer made, with its first answer for retries."""

    tenant_id: str
    transfer_id: str
    from_member_id: str
    to_member_id: str
    fingerprint: str
    points: int
    reason: str
    actor: str
    out_entry_id: str
    in_entry_id: str
    from_balance: Balance
    to_balance: Balance
    created_at: datetime


def parse_transfer(
    transfer_id: str, from_member_id: str, to_member_id: str, points: int, reason: str
) -> Transfer:
    sender = parse_id(from_member_id, "from_member_id")
    receiver = parse_id(to_member_id, "to_member_id")
    if sender == receiver:
        raise InvalidArgument("to_member_id: must be another member than from_member_id")
    return Transfer(
        parse_id(transfer_id, "transfer_id"),
        sender,
        receiver,
        parse_points(points, "points"),
        parse_reason(reason, "reason") if reason.strip() else DEFAULT_REASON,
    )


def transfer(
    sender: Wallet, receiver: Wallet, t: Transfer, *, limit: int, zone: ZoneInfo, at: datetime
) -> tuple[Entry, Entry]:
    """Move the points; the sender's `transfer_out` and the receiver's `transfer_in`."""
    if limit <= 0:
        raise TransfersDisabled()
    day = at.astimezone(zone).date().isoformat()
    used = sender.transferred_on(day)
    if used + t.points > limit:
        raise TransferLimitExceeded(limit, max(0, limit - used))
    takes = sender.spend(t.points)
    sender.count_transfer(day, t.points)
    by_expiry: dict[datetime | None, int] = defaultdict(int)
    for take in takes:
        by_expiry[take.expires_at] += take.points
    for expires_at, points in by_expiry.items():
        receiver.add_lot(Lot(new_id("lot"), "", points, points, at, expires_at))
    out = sender.entry(
        EntryType.TRANSFER_OUT,
        -t.points,
        f"transferred to member {t.to_member_id}: {t.reason}",
        at,
        transfer_id=t.transfer_id,
        reason_code=reasons.TRANSFER_OUT,
        reason_params=reasons.operator_text(t.reason, t.to_member_id),
    )
    in_ = receiver.entry(
        EntryType.TRANSFER_IN,
        t.points,
        f"transferred from member {t.from_member_id}: {t.reason}",
        at,
        transfer_id=t.transfer_id,
        reason_code=reasons.TRANSFER_IN,
        reason_params=reasons.operator_text(t.reason, t.from_member_id),
    )
    return out, in_
