"""The analytics read model of the loaded members, so the reports are measured on the
whole tenant: what each member's enrolment and past orders state (the facts the analytics
service takes from `member.enrolled` and `points.earned`), applied by the service's own
arithmetic (`handlers/ingest.apply`) straight into its database, a batch of members at a
time. No events and no log are written: the history is old, as for the other services,
so a rebuild from the log would not find it (the bench measures reads, not rebuilds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from bench.dataset.population import PastOrder, Profile
from libs.ids import new_id
from libs.mongo import MongoClient
from services.analytics.adapters.read_model import MongoReadModel
from services.analytics.domain.facts import (
    Enrolled,
    Event,
    Fact,
    Lot,
    Movement,
    PointsMoved,
    Purchased,
    SoldLine,
    Wallet,
    WalletSeen,
)
from services.analytics.handlers.ingest import apply, members_of
from services.analytics.settings import AnalyticsSettings
from services.points.domain.balances import Balance

ANALYTICS_DB = str(AnalyticsSettings.model_fields["mongo_db"].default)


@dataclass(frozen=True)
class Credited:
    """A past order and what the points service answered it."""

    order: PastOrder
    points: int
    balance: Balance


def member_facts(
    tenant_id: str, member_id: str, who: Profile, tier: str, credited: list[Credited]
) -> tuple[Fact, ...]:
    """The member's enrolment, each order with the points it earned, and the wallet the
    last order left."""
    facts: list[Fact] = [
        Enrolled(tenant_id, member_id, who.enrolled_at, who.channel, who.store_id, tier)
    ]
    for c in credited:
        order = c.order
        lines = tuple(
            SoldLine(sku, category, quantity, quantity * price)
            for sku, category, quantity, price in order.lines
        )
        at = order.occurred_at
        facts.append(
            Purchased(
                tenant_id,
                member_id,
                at,
                order_id=order.order_id,
                channel=order.channel,
                store_id=order.store_id,
                tier=tier,
                total=Decimal(order.total),
                lines=lines,
                points=c.points,
            )
        )
        facts.append(
            PointsMoved(
                tenant_id, member_id, at, Movement.ISSUED, c.points, order.channel, order.store_id
            )
        )
    if credited:
        last = credited[-1]
        lots = tuple(Lot(lot.points, lot.expires_at) for lot in last.balance.lots)
        wallet = Wallet(last.balance.available, last.balance.held, last.balance.pending, lots)
        facts.append(WalletSeen(tenant_id, member_id, last.order.occurred_at, wallet))
    return tuple(facts)


@dataclass
class AnalyticsLoad:
    client: MongoClient
    tenant_id: str
    time_zone: str
    pending: list[Event] = field(default_factory=list)
    facts: int = 0
    # Bucket counts add up in memory across flushes until one writes them.
    model: MongoReadModel | None = None

    def add(self, member_id: str, who: Profile, tier: str, credited: list[Credited]) -> None:
        facts = member_facts(self.tenant_id, member_id, who, tier, credited)
        self.pending.append(Event(new_id("bench"), self.tenant_id, facts))
        self.facts += len(facts)

    async def flush(self, *, buckets: bool = True) -> None:
        """Every pending member into the read model: their states read in one query, their
        facts applied in order in memory, members and orders written once. The buckets
        they add to are written too, or with `buckets=False` kept for a later flush: the
        members of many batches add to the same days' buckets, each inserted once then."""
        if self.model is None:
            self.model = MongoReadModel(self.client[ANALYTICS_DB], None)
        await self.model.prefetch(members_of(self.pending))
        for event in self.pending:
            await apply(self.model, event, self.time_zone)
        await self.model.flush(buckets=buckets)
        self.pending.clear()
