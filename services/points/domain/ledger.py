"""Ledger entries: append-only, signed, each with a reason a person can read."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
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
# A reason's parameters, (name, value): rendered with its code in the reader's language
# (libs.reasons); empty, with an empty code, for a reason that is only its text.
ReasonParams = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Part:
    """One line of an entry that carries several (an order's base, tier extra and each
    campaign bonus in one entry): what the ledger shows as a row of its own."""

    type: EntryType
    points: int
    reason: str
    campaign_id: str = ""
    campaign_version: int = 0
    reason_code: str = ""
    reason_params: ReasonParams = ()


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
    # An order's lines in one entry, in order; `points` is their sum. Empty for an entry
    # that is one line (every entry but an order's credit, and credits written before).
    parts: tuple[Part, ...] = ()
    reason_code: str = ""
    reason_params: ReasonParams = ()


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
    parts: tuple[Part, ...] = ()
    reason_code: str = ""
    reason_params: ReasonParams = ()


def rows(entry: Entry) -> list[Entry]:
    """The ledger's rows of an entry, oldest first: the entry itself, or one row per part
    (the first keeps the entry's id, the others add `.<n>`), as one entry per line read
    before entries carried their lines."""
    if not entry.parts:
        return [entry]
    return [
        dataclasses.replace(
            entry,
            entry_id=entry.entry_id if n == 0 else f"{entry.entry_id}.{n}",
            type=part.type,
            points=part.points,
            reason=part.reason,
            campaign_id=part.campaign_id,
            campaign_version=part.campaign_version,
            reason_code=part.reason_code,
            reason_params=part.reason_params,
            lots=entry.lots if n == len(entry.parts) - 1 else (),
            parts=(),
        )
        for n, part in enumerate(entry.parts)
    ]


def row_ids(entries: Iterable[Entry]) -> tuple[str, ...]:
    """The ids of the ledger rows of `entries`, as the ledger shows them and events name
    them: every row is named by the event of the change that wrote it."""
    return tuple(row.entry_id for entry in entries for row in rows(entry))
