"""Lease grants of a batch of orders summed per lease, so that counting them takes one
write per lease instead of one per order and campaign (adapters/lease_store.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LeaseCount:
    """`points` of a lease granted to one order whose local date is `day`."""

    lease_id: str
    points: int
    day: str = ""


@dataclass
class LeaseTotal:
    """What one lease granted in a batch: points, grants, and both per local day."""

    points: int = 0
    grants: int = 0
    by_day: dict[str, tuple[int, int]] = field(default_factory=dict)

    def add(self, count: LeaseCount) -> None:
        self.points += count.points
        self.grants += 1
        points, grants = self.by_day.get(count.day, (0, 0))
        self.by_day[count.day] = (points + count.points, grants + 1)


def summed(counts: Iterable[LeaseCount]) -> dict[str, LeaseTotal]:
    """The totals per lease, in the order the leases first appear."""
    totals: dict[str, LeaseTotal] = {}
    for count in counts:
        totals.setdefault(count.lease_id, LeaseTotal()).add(count)
    return totals


@dataclass
class Confirmed:
    """The leases a batch's counting found: each one's campaign and tenant."""

    campaigns: dict[str, str] = field(default_factory=dict)
    tenants: dict[str, str] = field(default_factory=dict)
