"""The one consumer of the points events over real MongoDB: a batch of points.earned records
each purchase and counts each bonus from a lease in one transaction, each purchase's
document being its event's record (no inbox row; an erased member's event gets one);
the same event twice in a batch, or a batch delivered again, counts once. Bonuses left
pending at the till are paid within the budget and the member's limit however long the
batch takes to pay them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import cast
from uuid import uuid4

import pytest
from nats.aio.msg import Msg

from libs.inbox import COLLECTION as INBOX
from libs.mongo import Database, MongoClient, make_client
from libs.timestamps import timestamp
from loyalty.common.v1.common_pb2 import EventMeta
from loyalty.points.v1 import events_pb2
from services.campaign.campaigns.adapters.history import (
    PURCHASES,
    HistoryWriter,
    ensure_history_indexes,
)
from services.campaign.campaigns.adapters.lease_store import LEASES, MongoLeases
from services.campaign.campaigns.adapters.leases import LeasedBudgets
from services.campaign.campaigns.adapters.reservations import MongoReservations
from services.campaign.campaigns.adapters.results import MongoResults
from services.campaign.campaigns.adapters.settled_purchases import MongoSettledPurchases
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.definitions import Definition
from services.campaign.campaigns.domain.grants import GrantedPoints, PointsGrant
from services.campaign.campaigns.domain.lifecycle import draft, rules_of
from services.campaign.campaigns.domain.rules import Campaign, Limits
from services.campaign.campaigns.entrypoints.consumers.history import (
    POINTS_CONSUMER,
    HistoryHandler,
    points_handler,
)
from services.campaign.campaigns.entrypoints.consumers.purchases import PurchaseSettling
from services.campaign.campaigns.handlers.evaluation import EvaluateOrder, OrderEvaluator
from services.campaign.campaigns.handlers.purchase_bonus import PurchaseBonusSettler
from services.campaign.tests.integration.lease_support import TEN_POINTS_A_BAG
from services.campaign.tests.reward_fakes import FakePoints

NOW = datetime.now(UTC)
DEFINITION = TEN_POINTS_A_BAG


@dataclass
class Delivered:
    """A JetStream message as the consumer reads it."""

    subject: str
    data: bytes
    headers: dict[str, str]


class NoCampaigns:
    async def active_campaigns(self, tenant_id: str, trigger: Trigger) -> list[Campaign]:
        return []


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[Database]:
    client: MongoClient = make_client(mongo_url, app_name="points-events-tests")
    database = client[f"campaign_{uuid4().hex[:8]}"]
    await ensure_history_indexes(database)
    yield database
    await client.close()


def earned(tenant: str, order_id: str, campaign_id: str, lease_id: str) -> Delivered:
    event = events_pb2.PointsEarned(
        meta=EventMeta(event_id=f"ev-{order_id}", tenant_id=tenant, occurred_at=timestamp(NOW)),
        member_id=f"m-{order_id}",
        order_id=order_id,
        channel="pos",
        store_id="S001",
        order_occurred_at=timestamp(NOW - timedelta(seconds=1)),
        currency="CNY",
        total="100.00",
        points=110,
        campaign_holds=[
            events_pb2.CampaignHold(campaign_id=campaign_id, reservation_id=lease_id, points=10)
        ],
    )
    subject = f"loyalty.{tenant}.points.earned"
    return Delivered(subject, event.SerializeToString(), {"Nats-Msg-Id": event.meta.event_id})


def consumer(db: Database, leases: LeasedBudgets) -> HistoryHandler:
    reservations = MongoReservations(db)
    settled = MongoSettledPurchases(db.client, db, reservations)
    evaluator = OrderEvaluator(NoCampaigns(), reservations, lambda: NOW)
    settler = PurchaseBonusSettler(evaluator, reservations, settled, FakePoints(), leases=leases)
    settling = PurchaseSettling(settler, settled)
    return points_handler(db.client, db, settling)


def leased_budgets(db: Database) -> LeasedBudgets:
    """One campaign process's leases: ten-second windows, a quarter of an hour's grace."""
    return LeasedBudgets(
        MongoLeases(db),
        lambda: NOW,
        owner="p1",
        window=timedelta(seconds=10),
        grace=timedelta(minutes=15),
    )


async def test_a_batch_records_each_purchase_and_counts_each_lease_grant_once(
    db: Database,
) -> None:
    tenant = f"t{uuid4().hex[:6]}"
    record = draft(f"c{uuid4().hex[:6]}", tenant, DEFINITION, NOW)
    leases = leased_budgets(db)
    holds = [
        await leases.reserve(tenant, f"o{i}", rules_of(record), points=10, now=NOW)
        for i in range(3)
    ]
    events = [earned(tenant, f"o{i}", record.campaign_id, h.hold_id) for i, h in enumerate(holds)]
    handler = consumer(db, leases)
    batch = cast(Sequence[Msg], [*events, events[0]])

    await handler.batch(batch)
    await handler.batch(batch)  # a crash before the acks: delivered again

    results = await MongoResults(db).results(record)
    assert (results.points_granted, results.grants, results.members_reached) == (30, 3, 3)
    assert await db[PURCHASES].count_documents({"tenant_id": tenant}) == 3
    assert await db[INBOX].count_documents({"consumer": POINTS_CONSUMER}) == 0
    assert {p["event_id"] for p in await db[PURCHASES].find({"tenant_id": tenant}).to_list()} == {
        f"ev-o{i}" for i in range(3)
    }
    [lease] = await db[LEASES].find({"campaign_id": record.campaign_id}).to_list()
    assert (lease["granted"], lease["grants"]) == (30, 3)


async def test_an_order_without_a_bonus_is_recorded_as_its_events_record_alone(
    db: Database,
) -> None:
    tenant = f"t{uuid4().hex[:6]}"
    plain = earned(tenant, "o1", "c1", "")
    event = events_pb2.PointsEarned.FromString(plain.data)
    del event.campaign_holds[:]
    plain = replace(plain, data=event.SerializeToString())
    leases = LeasedBudgets(
        MongoLeases(db), lambda: NOW, owner="p1", window=timedelta(1), grace=timedelta(1)
    )

    await consumer(db, leases)(cast(Msg, plain))

    assert await db[PURCHASES].count_documents({"tenant_id": tenant, "event_id": "ev-o1"}) == 1
    assert await db[INBOX].count_documents({"event_id": "ev-o1"}) == 0


async def test_an_erased_members_purchase_counts_its_lease_grant_once_under_an_inbox_row(
    db: Database,
) -> None:
    tenant = f"t{uuid4().hex[:6]}"
    record = draft(f"c{uuid4().hex[:6]}", tenant, DEFINITION, NOW)
    leases = LeasedBudgets(
        MongoLeases(db), lambda: NOW, owner="p1", window=timedelta(1), grace=timedelta(1)
    )
    hold = await leases.reserve(tenant, "o1", rules_of(record), points=10, now=NOW)
    await HistoryWriter(db, None).erased(tenant, "m-o1", NOW)
    event = cast(Msg, earned(tenant, "o1", record.campaign_id, hold.hold_id))
    handler = consumer(db, leases)

    await handler.batch([event])
    await handler.batch([event])

    results = await MongoResults(db).results(record)
    assert (results.points_granted, results.grants) == (10, 1)
    assert await db[PURCHASES].count_documents({"tenant_id": tenant}) == 0
    assert await db[INBOX].count_documents({"event_id": "ev-o1"}) == 1


async def lease_writes(db: Database) -> int:
    """findAndModify commands on the leases so far (the server's `top` counters)."""
    totals = (await db.client.admin.command("top"))["totals"]
    return int(totals.get(f"{db.name}.{LEASES}", {}).get("commands", {}).get("count", 0))


async def test_a_batch_counts_its_grants_with_one_write_per_lease_whatever_the_orders(
    db: Database,
) -> None:
    tenant = f"t{uuid4().hex[:6]}"
    record = draft(f"c{uuid4().hex[:6]}", tenant, DEFINITION, NOW)
    leases = leased_budgets(db)
    holds = [
        await leases.reserve(tenant, f"o{i}", rules_of(record), points=10, now=NOW)
        for i in range(8)
    ]
    assert len({h.hold_id for h in holds}) == 1  # the orders spent from one lease
    events = [earned(tenant, f"o{i}", record.campaign_id, h.hold_id) for i, h in enumerate(holds)]
    before = await lease_writes(db)

    await consumer(db, leases).batch(cast(Sequence[Msg], events))

    assert await lease_writes(db) - before == 1
    [lease] = await db[LEASES].find({"campaign_id": record.campaign_id}).to_list()
    assert (lease["granted"], lease["grants"]) == (80, 8)
    day = (NOW - timedelta(seconds=1)).date().isoformat()
    assert lease["days"][day] == {"granted": 80, "grants": 8}


@dataclass
class Active:
    campaigns: list[Campaign]

    async def active_campaigns(self, tenant_id: str, trigger: Trigger) -> list[Campaign]:
        return self.campaigns


@dataclass
class SlowPoints(FakePoints):
    """The points service under load: a batch's grants take longer than a hold's TTL, so
    the reservations' sweep runs once the batch's first bonus is paid."""

    sweep: Callable[[], Awaitable[int]] | None = None
    swept: list[int] = field(default_factory=list)

    async def grant(self, grant: PointsGrant) -> GrantedPoints:
        paid = await super().grant(grant)
        if self.sweep is not None:
            sweep, self.sweep = self.sweep, None
            self.swept.append(await sweep())
        return paid


def pending(tenant: str, order_id: str, member_id: str) -> Delivered:
    """An order the points service credited without its bonus: the till's evaluation
    missed its deadline."""
    event = events_pb2.PointsEarned(
        meta=EventMeta(event_id=f"ev-{order_id}", tenant_id=tenant, occurred_at=timestamp(NOW)),
        member_id=member_id,
        order_id=order_id,
        channel="pos",
        store_id="S001",
        order_occurred_at=timestamp(NOW - timedelta(seconds=1)),
        currency="CNY",
        total="100.00",
        points=100,
        bonus_pending=True,
    )
    subject = f"loyalty.{tenant}.points.earned"
    return Delivered(subject, event.SerializeToString(), {"Nats-Msg-Id": event.meta.event_id})


def paying_settling(
    db: Database, reservations: MongoReservations, campaign: Campaign, points: FakePoints
) -> PurchaseSettling:
    """The bonus side as wired: a pending bonus is evaluated again and paid from holds."""
    settled = MongoSettledPurchases(db.client, db, reservations)
    evaluator = OrderEvaluator(Active([campaign]), reservations.paying_after_order(), lambda: NOW)
    settler = PurchaseBonusSettler(evaluator, reservations, settled, points)
    return PurchaseSettling(settler, settled)


def paying_consumer(
    db: Database, reservations: MongoReservations, campaign: Campaign, points: FakePoints
) -> HistoryHandler:
    return points_handler(db.client, db, paying_settling(db, reservations, campaign, points))


def till_order(tenant: str, order_id: str, member_id: str) -> EvaluateOrder:
    return EvaluateOrder(
        tenant,
        member_id,
        "",
        "pos",
        "S001",
        NOW - timedelta(seconds=1),
        "100.00",
        order_id=order_id,
    )


def ten_points(limits: Limits) -> Definition:
    return replace(DEFINITION, limits=limits)


async def test_pending_bonuses_paid_while_their_holds_expire_stay_within_the_budget(
    db: Database,
) -> None:
    tenant = f"t{uuid4().hex[:6]}"
    record = draft(f"c{uuid4().hex[:6]}", tenant, ten_points(Limits(budget_points=20)), NOW)
    reservations = MongoReservations(db, ttl=timedelta(seconds=20))
    points = SlowPoints(sweep=lambda: reservations.sweep(NOW + timedelta(minutes=1)))
    orders = [f"o{uuid4().hex[:6]}" for _ in range(3)]
    events = [pending(tenant, order, f"m-{order}") for order in orders]

    await paying_consumer(db, reservations, rules_of(record), points).batch(
        cast(Sequence[Msg], events)
    )

    assert sum(grant.points for grant in points.paid.values()) == 20
    results = await MongoResults(db).results(record)
    assert (results.points_granted, results.budget_left) == (20, 0)


async def test_pending_bonuses_paid_while_their_holds_expire_respect_the_member_limit(
    db: Database,
) -> None:
    tenant, member = f"t{uuid4().hex[:6]}", f"m{uuid4().hex[:6]}"
    limits = Limits(budget_points=1000, per_member=2)
    record = draft(f"c{uuid4().hex[:6]}", tenant, ten_points(limits), NOW)
    campaign = rules_of(record)
    reservations = MongoReservations(db, ttl=timedelta(seconds=20))
    points = SlowPoints(sweep=lambda: reservations.sweep(NOW + timedelta(minutes=1)))
    orders = [f"o{uuid4().hex[:6]}" for _ in range(3)]
    till = OrderEvaluator(Active([campaign]), reservations, lambda: NOW)
    for order in orders[:2]:  # held at the till, whose answer came too late
        await till.evaluate(till_order(tenant, order, member))
    events = [pending(tenant, order, member) for order in orders]

    await paying_consumer(db, reservations, campaign, points).batch(cast(Sequence[Msg], events))

    assert points.total(member) == 20
    results = await MongoResults(db).results(record)
    assert (results.points_granted, results.grants) == (20, 2)
    assert points.swept == [1]  # the second order's hold, not yet being paid


async def test_a_bonus_paid_just_before_a_crash_is_counted_once_its_event_comes_again(
    db: Database,
) -> None:
    tenant = f"t{uuid4().hex[:6]}"
    record = draft(f"c{uuid4().hex[:6]}", tenant, ten_points(Limits(budget_points=10)), NOW)
    campaign = rules_of(record)
    reservations = MongoReservations(db, ttl=timedelta(seconds=20))
    points = FakePoints()
    first, second = (pending(tenant, f"o{uuid4().hex[:6]}", f"m{uuid4().hex[:6]}") for _ in "ab")
    # Paid, then the process is killed before the batch's transaction claims the event.
    await paying_settling(db, reservations, campaign, points).prepare(first.subject, first.data)
    await reservations.sweep(NOW + timedelta(minutes=1))  # the restart took longer than a TTL

    await paying_consumer(db, reservations, campaign, points).batch(
        cast(Sequence[Msg], [second, first])
    )

    assert sum(grant.points for grant in points.paid.values()) == 10
    results = await MongoResults(db).results(record)
    assert (results.points_granted, results.points_reserved, results.budget_left) == (10, 0, 0)
