"""A member's balance: a projection of the ledger."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class ExpiringPoints:
    points: int
    expires_at: datetime


@dataclass(frozen=True)
class Balance:
    """`available + held` always equals the sum of the member's ledger entries."""

    available: int = 0
    held: int = 0
    pending: int = 0
    lifetime_earned: int = 0
    expiring: tuple[ExpiringPoints, ...] = field(default_factory=tuple)
    # Every lot with points left and an expiry, whatever its date: what events tell read
    # models (analytics' points expiring in 30/60/90 days). Not stored, not compared.
    lots: tuple[ExpiringPoints, ...] = field(default_factory=tuple, compare=False)
