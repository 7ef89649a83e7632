"""Lots: every earn is a lot with its own expiry, and spending takes the soonest first."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from services.points.domain.ledger import Posting


@dataclass
class Lot:
    lot_id: str
    order_id: str
    earned: int
    remaining: int
    earned_at: datetime
    # None: the lot never expires.
    expires_at: datetime | None

    def spend_order(self) -> tuple[bool, datetime, datetime, str]:
        """Soonest expiry first, never-expiring last; among equals the oldest first."""
        return (
            self.expires_at is None,
            self.expires_at or self.earned_at,
            self.earned_at,
            self.lot_id,
        )


@dataclass
class PendingLot:
    """Points earned but not available yet (the tenant's return window). They are not in the
    ledger until released; then `postings` are written, which always sum to `lot.remaining`."""

    lot: Lot
    release_at: datetime
    postings: list[Posting]


@dataclass(frozen=True)
class LotTake:
    """Points taken from one lot, with all it takes to put them back, even into a lot
    that has since been emptied and dropped."""

    lot_id: str
    order_id: str
    earned: int
    earned_at: datetime
    expires_at: datetime | None
    points: int


def take(lots: list[Lot], points: int, first: Collection[str] = ()) -> list[LotTake]:
    """Take up to `points`: from the lots named in `first`, then soonest expiry first."""
    ordered = sorted(lots, key=lambda lot: (lot.lot_id not in first, lot.spend_order()))
    takes: list[LotTake] = []
    for lot in ordered:
        if points <= 0:
            break
        amount = min(points, lot.remaining)
        if amount <= 0:
            continue
        lot.remaining -= amount
        points -= amount
        takes.append(
            LotTake(lot.lot_id, lot.order_id, lot.earned, lot.earned_at, lot.expires_at, amount)
        )
    return takes


def put_back(lots: list[Lot], takes: Iterable[LotTake]) -> None:
    """Return taken points to the same lots, recreating a lot that was dropped when empty."""
    by_id = {lot.lot_id: lot for lot in lots}
    for t in takes:
        lot = by_id.get(t.lot_id)
        if lot is None:
            lot = Lot(t.lot_id, t.order_id, t.earned, 0, t.earned_at, t.expires_at)
            lots.append(lot)
            by_id[t.lot_id] = lot
        lot.remaining += t.points


def taken(takes: Iterable[LotTake]) -> int:
    return sum(t.points for t in takes)
