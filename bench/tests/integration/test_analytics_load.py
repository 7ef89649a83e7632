"""The bench's analytics load: the loaded members' enrolments, orders and wallets land in
the analytics read model through the service's own arithmetic, so the reports read them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bench.dataset.analytics import ANALYTICS_DB, AnalyticsLoad, Credited
from bench.dataset.population import profile
from libs.ids import new_id
from libs.mongo import MongoClient, make_client
from services.analytics.adapters.reports import MongoReports
from services.analytics.domain.buckets import Kind, cents
from services.analytics.domain.ports import Scope
from services.points.domain.balances import Balance

NOW = datetime(2026, 12, 7, 4, tzinfo=UTC)


@pytest.fixture
async def client(mongo_url: str) -> AsyncIterator[MongoClient]:
    made: MongoClient = make_client(mongo_url, app_name="bench-tests")
    yield made
    await made.close()


async def test_loaded_members_are_in_the_reports_as_their_orders_say(client: MongoClient) -> None:
    tenant = new_id("bench")
    load = AnalyticsLoad(client, tenant, "Asia/Shanghai")
    people = [profile(index, NOW) for index in range(20, 40)]
    for n, who in enumerate(people):
        credited = [
            Credited(o, 10, Balance(available=10 * (k + 1))) for k, o in enumerate(who.orders)
        ]
        load.add(f"m{n}", who, "member", credited)
    await load.flush()
    reports = MongoReports(client[ANALYTICS_DB])
    scope = Scope(tenant, "2020-01-01", "2026-12-31")

    ((_, enrolled),) = await reports.sums(scope, Kind.ENROLMENTS, (), **vars_of(scope))
    ((_, orders),) = await reports.sums(scope, Kind.ORDERS, (), **vars_of(scope))
    ((_, points),) = await reports.sums(scope, Kind.POINTS, (), **vars_of(scope))
    wallets = await reports.wallets(tenant)

    placed = [o for who in people for o in who.orders]
    assert enrolled["members"] == len(people)
    assert orders["orders"] == len(placed) > 0
    assert orders["gross"] == sum(cents(Decimal(o.total)) for o in placed)
    assert points["issued"] == 10 * len(placed)
    assert wallets.available == sum(10 * len(who.orders) for who in people)
    assert wallets.members == sum(1 for who in people if who.orders)
    assert load.pending == []


async def test_batches_loaded_without_buckets_are_counted_when_a_later_batch_writes_them(
    client: MongoClient,
) -> None:
    tenant = new_id("bench")
    load = AnalyticsLoad(client, tenant, "Asia/Shanghai")
    reports = MongoReports(client[ANALYTICS_DB])
    scope = Scope(tenant, "2020-01-01", "2026-12-31")
    people = [profile(index, NOW) for index in range(40, 60)]

    for n, who in enumerate(people[:10]):
        load.add(f"m{n}", who, "member", [])
    await load.flush(buckets=False)
    held_back = await reports.sums(scope, Kind.ENROLMENTS, (), **vars_of(scope))
    for n, who in enumerate(people[10:], start=10):
        load.add(f"m{n}", who, "member", [])
    await load.flush()
    ((_, enrolled),) = await reports.sums(scope, Kind.ENROLMENTS, (), **vars_of(scope))

    assert held_back == []
    assert enrolled["members"] == len(people)
    assert await client[ANALYTICS_DB]["members"].count_documents({"t": tenant}) == len(people)


def vars_of(scope: Scope) -> dict[str, str]:
    return {"from_day": scope.from_day, "to_day": scope.to_day}
