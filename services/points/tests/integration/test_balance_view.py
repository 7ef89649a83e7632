"""The points service keeps each member's balance in Redis (a real Valkey): written by
every change before it answers, back-filled by a balance read, never by an older wallet."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from redis.asyncio import Redis

from libs.balance_view import BalanceView, BalanceViews
from libs.clock import FakeClock
from libs.mongo import Database, MongoClient
from libs.redis import make_redis
from libs.unit_of_work import MongoUnitOfWork
from loyalty.points.v1 import points_pb2 as pb
from services.points.adapters.balance_views import ProjectingUnitOfWork, WalletBalances
from services.points.adapters.events.points import to_outbox
from services.points.adapters.repositories import MongoRepositories
from services.points.domain.earning import EarningRule
from services.points.handlers.commands import AccrueOrder
from services.points.handlers.earning import accrue_order
from services.points.handlers.maturity import mature_wallets
from services.points.handlers.queries import put_earning_rule
from services.points.tests.fakes import FakeCampaigns
from services.points.tests.integration.support import a_hold, an_order, balance_of

if TYPE_CHECKING:
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = make_redis(redis_url)
    yield client
    await client.aclose()


async def test_every_change_writes_the_balance_before_it_answers(
    points: PointsServiceAsyncStub, redis: Redis, tenant: str
) -> None:
    views = BalanceViews(redis)
    earned = await points.AccrueOrder(an_order(tenant, "POS-1"))
    view = await views.get(tenant, "m1")
    assert view is not None
    assert (view.version, view.available, view.lifetime_earned) == (
        1,
        earned.balance.available,
        398,
    )
    assert [points for _, points in view.schedule] == [398]
    await points.HoldPoints(a_hold(tenant, 100, hold_seconds=60))
    view = await views.get(tenant, "m1")
    assert view is not None
    assert (view.version, view.available, view.held) == (2, 298, 100)


async def test_a_balance_read_back_fills_a_missing_entry(
    points: PointsServiceAsyncStub, redis: Redis, tenant: str
) -> None:
    views = BalanceViews(redis)
    await points.AccrueOrder(an_order(tenant, "POS-1"))
    await views.forget(tenant, "m1")
    assert await views.get(tenant, "m1") is None
    balance = await balance_of(points, tenant)
    view = await views.get(tenant, "m1")
    assert view is not None
    assert (view.version, view.available, view.held, view.lifetime_earned) == (
        1,
        balance.available,
        0,
        398,
    )
    assert [points for _, points in view.schedule] == [398]


async def test_a_back_fill_never_replaces_a_newer_entry(
    points: PointsServiceAsyncStub, redis: Redis, tenant: str
) -> None:
    views = BalanceViews(redis)
    await points.AccrueOrder(an_order(tenant, "POS-1"))
    newer = BalanceView(7, available=1)
    assert await views.put(tenant, "m1", newer)
    await points.GetBalance(pb.GetBalanceRequest(tenant_id=tenant, member_id="m1"))
    assert await views.get(tenant, "m1") == newer


async def test_a_member_without_a_wallet_gets_no_entry(
    points: PointsServiceAsyncStub, redis: Redis, tenant: str
) -> None:
    await points.GetBalance(pb.GetBalanceRequest(tenant_id=tenant, member_id="m-none"))
    assert await BalanceViews(redis).get(tenant, "m-none") is None


async def test_the_lot_sweeps_expiries_and_releases_reach_the_balance_read(
    db: tuple[MongoClient, Database], redis: Redis, tenant: str
) -> None:
    client, database = db
    views = BalanceViews(redis)
    inner = MongoUnitOfWork(client, database, MongoRepositories, to_outbox)
    uow = ProjectingUnitOfWork(inner, WalletBalances(views))
    clock = FakeClock()
    rule = EarningRule("CNY", Decimal(1), expiry_months=1, pending_days=3)
    await put_earning_rule(tenant, rule, uow)
    order = AccrueOrder(tenant, "O-1", "m1", "app", "", clock.now, "CNY", "100.00")
    await accrue_order(order, uow, FakeCampaigns(), clock)
    assert await read(views, tenant) == (0, 100, 0)
    clock.advance(days=3, seconds=1)
    assert await mature_wallets(uow, clock) == 1
    assert await read(views, tenant) == (100, 0, 100)
    clock.advance(days=40)
    assert await mature_wallets(uow, clock) == 1
    assert await read(views, tenant) == (0, 0, 100)


async def read(views: BalanceViews, tenant: str) -> tuple[int, int, int]:
    """Available, pending and lifetime earned, as the gateway would read them."""
    view = await views.get(tenant, "m1")
    assert view is not None
    return view.available, view.pending, view.lifetime_earned
