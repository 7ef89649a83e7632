"""Releasing pending points and expiring lots over real MongoDB, with sweeps racing as
several replicas would: each lot is released or expired exactly once."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from libs.clock import FakeClock
from libs.mongo import Database, MongoClient
from libs.outbox import COLLECTION
from libs.unit_of_work import MongoUnitOfWork
from services.points.adapters.events.points import to_outbox
from services.points.adapters.repositories import MongoRepositories
from services.points.domain.earning import EarningRule
from services.points.domain.ports import UnitOfWork
from services.points.handlers.commands import AccrueOrder
from services.points.handlers.earning import accrue_order
from services.points.handlers.maturity import mature_wallets
from services.points.handlers.queries import (
    expiring_holds,
    get_balance,
    get_ledger,
    put_earning_rule,
)
from services.points.handlers.redemptions import HoldPoints, hold_points
from services.points.tests.fakes import FakeCampaigns

MEMBERS = [f"m{n}" for n in range(4)]
SWEEPERS = 4


async def fund(uow: UnitOfWork, clock: FakeClock, tenant: str, pending_days: int) -> None:
    rule = EarningRule("CNY", Decimal(1), expiry_months=24, pending_days=pending_days)
    await put_earning_rule(tenant, rule, uow)
    for member_id in MEMBERS:
        order = AccrueOrder(
            tenant, f"O-{member_id}", member_id, "app", "", clock.now, "CNY", "100.00"
        )
        await accrue_order(order, uow, FakeCampaigns(), clock)


async def sweep_concurrently(uow: UnitOfWork, clock: FakeClock) -> int:
    changes = await asyncio.gather(*(mature_wallets(uow, clock, limit=2) for _ in range(SWEEPERS)))
    return sum(changes) + await mature_wallets(uow, clock)


async def events_of(db: Database, event_type: str) -> int:
    return await db[COLLECTION].count_documents({"event_type": event_type})


async def test_racing_sweeps_release_each_members_pending_points_once(
    db: tuple[MongoClient, Database],
) -> None:
    client, database = db
    uow = MongoUnitOfWork(client, database, MongoRepositories, to_outbox)
    clock = FakeClock()
    await fund(uow, clock, "demo", pending_days=14)
    assert await sweep_concurrently(uow, clock) == 0
    clock.advance(days=14, seconds=1)
    assert await sweep_concurrently(uow, clock) == len(MEMBERS)
    assert await events_of(database, "points.confirmed") == len(MEMBERS)
    for member_id in MEMBERS:
        balance = await get_balance("demo", member_id, uow, clock)
        page = await get_ledger("demo", member_id, 50, "", uow)
        assert (balance.available, balance.pending) == (100, 0)
        assert [e.points for e in page.entries] == [100]


async def test_racing_sweeps_expire_each_lot_once_and_leave_held_points_alone(
    db: tuple[MongoClient, Database],
) -> None:
    client, database = db
    uow = MongoUnitOfWork(client, database, MongoRepositories, to_outbox)
    clock = FakeClock()
    await fund(uow, clock, "demo", pending_days=0)
    hold = HoldPoints("demo", "m0", 30, "app", hold_seconds=7 * 24 * 3600)
    await hold_points(hold, uow, clock)
    clock.advance(days=2 * 366)
    assert await sweep_concurrently(uow, clock) == len(MEMBERS)
    assert await events_of(database, "points.expired") == len(MEMBERS)
    for member_id in MEMBERS:
        balance = await get_balance("demo", member_id, uow, clock)
        page = await get_ledger("demo", member_id, 50, "", uow)
        held = 30 if member_id == "m0" else 0
        assert (balance.available, balance.held) == (0, held)
        assert sum(e.points for e in page.entries) == held
        assert [e.type.value for e in page.entries] == ["expire", "earn"]


async def test_the_holds_about_to_expire_are_read_soonest_first_for_one_tenant_only(
    db: tuple[MongoClient, Database],
) -> None:
    client, database = db
    uow = MongoUnitOfWork(client, database, MongoRepositories, to_outbox)
    clock = FakeClock()
    await fund(uow, clock, "demo", pending_days=0)
    await fund(uow, clock, "other", pending_days=0)
    for member_id, seconds in zip(MEMBERS, (3000, 600, 9000), strict=False):
        await hold_points(HoldPoints("demo", member_id, 5, "app", hold_seconds=seconds), uow, clock)
    await hold_points(HoldPoints("other", "m0", 5, "app", hold_seconds=60), uow, clock)
    await hold_points(HoldPoints("demo", "m3", 5, "app", capture=True), uow, clock)

    found = await expiring_holds("demo", 60, 0, uow, clock)

    assert [h.member_id for h in found.holds] == ["m1", "m0"]
