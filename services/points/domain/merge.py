"""Two members became one: the merged member's wallet moves into the survivor's.

Lots move whole, keeping their ids, earning dates and expiry, so a later return of an
old order claws back from the same lots and expiry still takes them when due. Held
points, pending lots and any debt move too. The merged member's ledger ends with a
`merge_out` of everything it had; the survivor's gets the matching `merge_in`, so both
ledgers still sum to `available + held`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from libs import reasons
from services.points.domain.balances import Balance
from services.points.domain.ledger import Entry, EntryType
from services.points.domain.wallet import Wallet


@dataclass(frozen=True)
class WalletMerge:
    """What moved: `points` is the merged member's `available + held` (the merge_in)."""

    points: int = 0
    held: int = 0
    pending: int = 0
    lots: int = 0
    out_entry: Entry | None = None
    in_entry: Entry | None = None


def merge_wallet(source: Wallet, target: Wallet, at: datetime) -> WalletMerge:
    """Empty `source` into `target`; both wallets and their entries are then saved."""
    if source.tenant_id != target.tenant_id or source.member_id == target.member_id:
        raise ValueError("a wallet merges into another member's wallet of its tenant")
    points, held, pending = source.available + source.held, source.held, source.pending
    lots, debt = list(source.lots), source.debt
    out_entry = in_entry = None
    if points:
        out_entry = source.entry(
            EntryType.MERGE_OUT,
            -points,
            f"merged into member {target.member_id}",
            at,
            reason_code=reasons.MERGE_OUT,
            reason_params=reasons.merged(target.member_id),
        )
        in_entry = target.entry(
            EntryType.MERGE_IN,
            points,
            f"merged from member {source.member_id}",
            at,
            reason_code=reasons.MERGE_IN,
            reason_params=reasons.merged(source.member_id),
        )
    target.held += held
    target.lifetime_earned += source.lifetime_earned
    target.pending_lots.extend(source.pending_lots)
    for lot in lots:
        target.add_lot(lot)
    if debt:
        target.claw_back(debt, ())
    source.lots, source.pending_lots = [], []
    source.held = source.debt = source.lifetime_earned = 0
    return WalletMerge(points, held, pending, len(lots), out_entry, in_entry)


@dataclass(frozen=True)
class MovedRecords:
    """How many of the merged member's records now name the survivor."""

    orders: int = 0
    redemptions: int = 0
    returns: int = 0


@dataclass(frozen=True)
class PointsMerged:
    event_id: str
    tenant_id: str
    member_id: str
    merged_id: str
    member_merged_event_id: str
    moved: WalletMerge
    records: MovedRecords
    balance: Balance
    at: datetime
    entry_ids: tuple[str, ...] = field(default_factory=tuple)
