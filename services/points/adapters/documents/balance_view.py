"""A wallet as the balance read model keeps it (`libs/balance_view.py`)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from libs.balance_view import BalanceView
from services.points.domain.wallet import Wallet


def view_of(wallet: Wallet) -> BalanceView:
    """The wallet's balance as the read model keeps it: every lot's expiry, not only the
    next 30 days', since what is "soon" depends on when it is read."""
    due: dict[datetime, int] = defaultdict(int)
    for lot in wallet.lots:
        if lot.expires_at is not None:
            due[lot.expires_at] += lot.remaining
    return BalanceView(
        wallet.version,
        wallet.available,
        wallet.held,
        wallet.pending,
        wallet.lifetime_earned,
        tuple((at, points) for at, points in sorted(due.items()) if points > 0),
    )
