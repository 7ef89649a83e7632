"""Ledger entries: append-only, signed, each with a reason a person can read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class EntryType(StrEnum):
    EARN = "earn"
    BONUS = "bonus"
    REDEEM = "redeem"
    REDEEM_CANCEL = "redeem_cancel"
    REVERSE = "reverse"
    EXPIRE = "expire"
    ADJUST = "adjust"
    TRANSFER_IN = "transfer_in"
    TRANSFER_OUT = "transfer_out"
    MERGE_IN = "merge_in"
    MERGE_OUT = "merge_out"


LotMoves = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Entry:
    """One movement of a member's points. `seq` orders a member's entries, newest last.
    `lots` is what the entry's command did to the member's lots, (lot id, signed points),
    so that each lot can be reconciled with the entries and redemptions that name it."""

    entry_id: str
    seq: int
    type: EntryType
    points: int
    reason: str
    created_at: datetime
    order_id: str = ""
    return_id: str = ""
    redemption_id: str = ""
    campaign_id: str = ""
    campaign_version: int = 0
    adjustment_id: str = ""
    transfer_id: str = ""
    lots: LotMoves = ()


@dataclass(frozen=True)
class Posting:
    """An entry still to be written: what it says, not yet where in the ledger or when."""

    type: EntryType
    points: int
    reason: str
    order_id: str = ""
    return_id: str = ""
    redemption_id: str = ""
    campaign_id: str = ""
    campaign_version: int = 0
    adjustment_id: str = ""
    transfer_id: str = ""
