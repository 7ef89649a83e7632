"""A member's tier progress in one place: the orders that count toward tiers, the events
that changed them, and the few facts about the member a tier evaluation needs.

The tier consumer keeps one `QualifyingBook` per member, changed and written whole in one
transaction per batch of events, instead of a document per order, per evaluation and per
event. Each order keeps what it earned and cost, what returns took back, and the ids of
the events that changed it: a redelivered event finds its id and changes nothing more
(the book is the consumer's record of what it handled, CONVENTIONS 8). An order stays in
the book while it can still count (the program's window) or its events can still be
redelivered (the stream keeps them `REDELIVERABLE_FOR`), whichever is longer; an event
about an order older than both changes nothing that counts. Events naming a member since
merged are booked to the member it was merged into, whose tier counts every book of its
lineage (`combined`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

from services.member.domain.members import MemberStatus
from services.member.domain.qualifying import QualifyingPurchase
from services.member.domain.tiers import TierState

# How long the event stream keeps an event it may redeliver (libs/nats.py
# RETENTION_SECONDS; a unit test keeps the two equal).
REDELIVERABLE_FOR = timedelta(days=30)

Changed = Callable[[QualifyingPurchase], QualifyingPurchase]


@dataclass(frozen=True)
class TierHolder:
    """What a tier evaluation reads of a member: no personal data."""

    tenant_id: str
    member_id: str
    status: MemberStatus
    tier: TierState | None
    merged_into: str = ""

    @property
    def is_active(self) -> bool:
        return self.status is MemberStatus.ACTIVE


@dataclass(frozen=True)
class QualifyingBook:
    tenant_id: str
    member_id: str
    orders: tuple[QualifyingPurchase, ...] = ()

    def counted(self, event_id: str) -> bool:
        return any(event_id in o.events for o in self.orders)

    def has(self, order_id: str) -> bool:
        return any(o.order_id == order_id for o in self.orders)

    def _with(self, order_id: str, change: Changed, at: datetime, event_id: str) -> QualifyingBook:
        found = next((o for o in self.orders if o.order_id == order_id), None)
        blank = QualifyingPurchase(self.tenant_id, order_id, self.member_id, at, 0, Decimal(0))
        changed = change(found or blank)
        if event_id:
            changed = replace(changed, events=(*changed.events, event_id))
        others = tuple(o for o in self.orders if o.order_id != order_id)
        return replace(self, orders=(*others, changed))

    def with_purchase(
        self, order_id: str, occurred_at: datetime, points: int, spend: Decimal, event_id: str = ""
    ) -> QualifyingBook:
        """What the order earned and cost; a return counted before it is kept."""
        return self._with(
            order_id,
            lambda o: replace(o, occurred_at=occurred_at, points=points, spend=spend),
            occurred_at,
            event_id,
        )

    def with_return(
        self, order_id: str, points: int, at: datetime, event_id: str = ""
    ) -> QualifyingBook:
        """`points` more taken back from the order."""
        return self._with(
            order_id, lambda o: replace(o, reversed_points=o.reversed_points + points), at, event_id
        )

    def with_bonus(
        self, order_id: str, points: int, at: datetime, event_id: str = ""
    ) -> QualifyingBook:
        """`points` more earned by the order: a campaign bonus granted after it."""
        return self._with(order_id, lambda o: replace(o, points=o.points + points), at, event_id)

    def kept(self, window_start: datetime, now: datetime) -> QualifyingBook:
        """Without the orders that can neither count (older than the window) nor hear
        from their events again."""
        start = min(window_start, now - REDELIVERABLE_FOR)
        return replace(self, orders=tuple(o for o in self.orders if o.occurred_at >= start))


def combined(orders: Iterable[QualifyingPurchase]) -> list[QualifyingPurchase]:
    """One entry per order over several books: an order bought by a member later merged
    and returned after the merge is in both books (the return in the survivor's)."""
    by_order: dict[str, QualifyingPurchase] = {}
    for o in orders:
        seen = by_order.get(o.order_id)
        by_order[o.order_id] = (
            o
            if seen is None
            else replace(
                seen,
                occurred_at=min(seen.occurred_at, o.occurred_at),
                points=seen.points + o.points,
                spend=seen.spend + o.spend,
                reversed_points=seen.reversed_points + o.reversed_points,
                events=(*seen.events, *o.events),
            )
        )
    return list(by_order.values())
