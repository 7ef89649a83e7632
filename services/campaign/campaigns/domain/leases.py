"""Budget leases: a slice of a campaign's budget that one process spends in memory.

A process takes a lease (`size` points of what is left, one transaction), then answers
orders from it with no database round trip: `Lease.allot` is plain arithmetic. What it
allots is not yet granted: the order's `points.earned` names the lease and the points it
was credited with, and the consumer of that event counts them as granted. The budget
counter counts the whole lease as used from the moment it is taken, so no interleaving of
processes can allot beyond the budget; what comes back, comes back in three ways:

- **retire** (its owner, once the lease's spending window ends or it runs dry): the
  points never allotted, `size - allotted`; after this nobody allots from it;
- **refund** (an order's `points.earned` says its bonus was left pending: the order was
  credited without the lease's points, and an order credits once): that order's
  allotment, known only to the process that made it;
- **close** (any replica, `grace` after the spending window ended, when every order that
  could use it has committed and its event was read): everything not proven granted,
  `size - granted - returned`. This is also how the lease of a process killed with -9
  comes back: nobody needs its memory.

Accounting, per lease: `size == granted + returned + outstanding`, outstanding >= 0 until
close, and 0 after it. The counter's `used` is the sum over leases of `size - returned`
(plus the per-order holds), so `granted + reserved + left == budget` at every moment
(the counter takes a lease's grants from reserved to granted when it closes; until then
the results add them from the lease).

The one assumption, the same one the per-order holds make with their TTL: an order that
was allotted points commits, and its event is read, within `grace` of the lease's
spending window. An event later than that still counts its points as granted (they were
paid) and takes them again from the budget, which is logged (`lease_grant_after_close`).
The grace counts only time the events could be read: no process closes a lease within
`grace` of its start or of a database outage (adapters/leases.py, `sweep`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

LEASE_PREFIX = "lse_"
# A lease covers about this many grants of the order that asked for it.
GRANTS_PER_LEASE = 20


def is_lease(reservation_id: str) -> bool:
    return reservation_id.startswith(LEASE_PREFIX)


def wanted_size(points: int, grants: int = GRANTS_PER_LEASE) -> int:
    """How much a lease asks for when an order of `points` found none (the counter gives
    less when less is left)."""
    return max(1, points) * grants


def granted_size(wanted: int, budget: int | None, used: int) -> int | None:
    """What the counter can give: None for a campaign without a budget (no limit to
    spend from), else at most what is left, 0 when nothing is."""
    if budget is None:
        return None
    return max(0, min(wanted, budget - used))


def closing_return(size: int | None, granted: int, returned: int) -> int:
    """What closing a lease gives back to the budget: everything not proven granted and
    not given back already."""
    if size is None:
        return 0
    return max(0, size - granted - returned)


@dataclass
class Lease:
    """One process's slice of one campaign's budget, in memory."""

    lease_id: str
    campaign_id: str
    # None: the campaign has no budget, the lease only carries its grants to the results.
    size: int | None
    spend_until: datetime
    allotted: int = 0
    retired: bool = False
    last_allotted_at: datetime | None = None

    def left(self) -> int | None:
        return None if self.size is None else self.size - self.allotted

    def spendable(self, now: datetime) -> bool:
        return not self.retired and now < self.spend_until

    def allot(self, points: int, now: datetime) -> int:
        """Up to `points` from the lease (the last grant takes what is left); 0 when it is
        spent, retired or past its window."""
        if points <= 0 or not self.spendable(now):
            return 0
        left = self.left()
        take = points if left is None else min(points, left)
        self.allotted += take
        self.last_allotted_at = now
        return take

    def in_use(self, now: datetime, within: timedelta) -> bool:
        """Whether it allotted anything lately: worth renewing before its window ends."""
        return self.last_allotted_at is not None and now - self.last_allotted_at < within

    def refund(self, points: int) -> None:
        """An allotment that can never be granted (its order was credited without it)."""
        self.allotted -= points

    def worth_extending(self) -> bool:
        """At least a quarter of it left: spend it longer rather than take another."""
        left = self.left()
        return left is None or (self.size is not None and 4 * left >= self.size)

    def retire(self) -> int:
        """Stop spending; the points never allotted, to give back."""
        self.retired = True
        left = self.left()
        return 0 if left is None else left
