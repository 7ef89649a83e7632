"""What time does to a wallet: pending points become available, due lots expire."""

from __future__ import annotations

from datetime import datetime

from services.points.domain.ledger import Entry, EntryType
from services.points.domain.wallet import Wallet


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
