"""Expiry: a lot whose time has come loses what it still holds."""

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
