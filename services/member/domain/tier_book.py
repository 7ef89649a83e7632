"""A member's tier progress in one place: the orders of the qualifying window, and the few
facts about the member a tier evaluation needs.

The tier consumer keeps one `QualifyingBook` per member, changed and written whole with
the event's claim, instead of a document per order and per evaluation. A book keeps each
order of the window (what it earned and cost, and what returns took back), so a return
can still take back a tier its order reached; orders older than the window are dropped
whenever the book is written. Events naming a member since merged are booked to the
member they were merged into, whose tier then counts every book of its lineage
(`combined`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from services.member.domain.members import MemberStatus
from services.member.domain.qualifying import QualifyingPurchase
from services.member.domain.tiers import TierState

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

    def _with(
        self,
        order_id: str,
        change: Callable[[QualifyingPurchase], QualifyingPurchase],
        at: datetime,
    ) -> QualifyingBook:
        found = next((o for o in self.orders if o.order_id == order_id), None)
        blank = QualifyingPurchase(self.tenant_id, order_id, self.member_id, at, 0, Decimal(0))
        others = tuple(o for o in self.orders if o.order_id != order_id)
        return replace(self, orders=(*others, change(found or blank)))

    def with_purchase(
        self, order_id: str, occurred_at: datetime, points: int, spend: Decimal
    ) -> QualifyingBook:
        """What the order earned and cost; a return counted before it is kept."""
        return self._with(
            order_id,
            lambda o: replace(o, occurred_at=occurred_at, points=points, spend=spend),
            occurred_at,
        )

    def with_return(self, order_id: str, points: int, at: datetime) -> QualifyingBook:
        """`points` more taken back from the order."""
        return self._with(
            order_id, lambda o: replace(o, reversed_points=o.reversed_points + points), at
        )

    def with_bonus(self, order_id: str, points: int, at: datetime) -> QualifyingBook:
        """`points` more earned by the order: a campaign bonus granted after it."""
        return self._with(order_id, lambda o: replace(o, points=o.points + points), at)

    def since(self, start: datetime) -> QualifyingBook:
        """Without the orders older than `start` (the window's), which count no more."""
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
            )
        )
    return list(by_order.values())
