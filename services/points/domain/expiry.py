"""What time does to a wallet: pending points become available, lots near their expiry
are announced once, due lots expire."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from libs import reasons
from services.points.domain.ledger import Entry, EntryType
from services.points.domain.lots import Lot
from services.points.domain.wallet import Wallet

# How long before its expiry a lot is announced (points.expiring).
EXPIRY_WARNING = timedelta(days=30)


@dataclass(frozen=True)
class ExpiringLot:
    lot_id: str
    order_id: str
    points: int
    expires_at: datetime


def _unannounced(wallet: Wallet, lot: Lot) -> bool:
    return (
        lot.remaining > 0
        and lot.expires_at is not None
        and lot.lot_id not in wallet.expiry_warnings
    )


def announce_expiring(wallet: Wallet, now: datetime) -> list[ExpiringLot]:
    """The lots that came within `EXPIRY_WARNING` of their expiry and were not announced
    yet; they are remembered as announced. Announcements of expiries past are forgotten."""
    wallet.expiry_warnings = {k: at for k, at in wallet.expiry_warnings.items() if at > now}
    found = []
    for lot in sorted(wallet.lots, key=Lot.spend_order):
        if (
            _unannounced(wallet, lot)
            and lot.expires_at
            and now < lot.expires_at <= now + EXPIRY_WARNING
        ):
            wallet.expiry_warnings[lot.lot_id] = lot.expires_at
            found.append(ExpiringLot(lot.lot_id, lot.order_id, lot.remaining, lot.expires_at))
    return found


def next_announcement(wallet: Wallet) -> datetime | None:
    """When the next lot comes within `EXPIRY_WARNING` of its expiry; None for no lot."""
    due = [
        lot.expires_at - EXPIRY_WARNING
        for lot in wallet.lots
        if _unannounced(wallet, lot) and lot.expires_at is not None
    ]
    return min(due, default=None)


def expire_lots(wallet: Wallet, now: datetime) -> list[Entry]:
    """One `expire` entry per lot that expired with points left in it."""
    return [
        wallet.entry(
            EntryType.EXPIRE,
            -points,
            f"expired: earned {lot.earned_at.date().isoformat()}"
            + (f" on order {lot.order_id}" if lot.order_id else ""),
            now,
            order_id=lot.order_id,
            reason_code=reasons.EXPIRED,
            reason_params=reasons.expired(lot.earned_at.date().isoformat(), lot.order_id),
        )
        for lot, points in wallet.expire_due(now)
    ]


def release_pending(wallet: Wallet, now: datetime) -> list[Entry]:
    """Pending lots whose time has come join the available lots, and their entries (earned,
    and any returns meanwhile) are written."""
    due = [p for p in wallet.pending_lots if p.release_at <= now]
    wallet.pending_lots = [p for p in wallet.pending_lots if p.release_at > now]
    entries: list[Entry] = []
    for pending in due:
        entries.extend(wallet.post(posting, now) for posting in pending.postings)
        wallet.lifetime_earned += sum(p.points for p in pending.postings if p.points > 0)
        if pending.lot.remaining > 0:
            wallet.add_lot(pending.lot)
    return entries
