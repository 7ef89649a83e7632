"""The reports' bucket reads walk the buckets' index by tenant, kind and days, whatever
filters the scope adds (SecantusDB reads the whole collection for a filter its index
cannot serve alone)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import pytest
from pymongo import AsyncMongoClient, monitoring

from libs.mongo import Database, MongoClient
from libs.tests.integration.support import random_name
from services.analytics.adapters.read_model import BUCKETS
from services.analytics.adapters.reports import MongoReports
from services.analytics.adapters.repositories import ensure_indexes
from services.analytics.domain.buckets import Kind
from services.analytics.domain.ports import Scope

DAY = "2026-03-02"


class Pipelines(monitoring.CommandListener):
    """The aggregation pipelines the client sent."""

    def __init__(self) -> None:
        self.sent: list[list[dict[str, Any]]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name == "aggregate":
            self.sent.append(list(event.command["pipeline"]))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


@pytest.fixture
def pipelines() -> Pipelines:
    return Pipelines()


@pytest.fixture
async def db(mongo_url: str, pipelines: Pipelines) -> AsyncIterator[Database]:
    client: MongoClient = AsyncMongoClient(mongo_url, event_listeners=[pipelines], tz_aware=True)
    database = client[f"analytics_{uuid4().hex[:8]}"]
    await ensure_indexes(database)
    yield database
    await client.close()


def orders(tenant: str, store: str, channel: str, tier: str, n: int) -> dict[str, Any]:
    return {
        "_id": f"{tenant}|orders|{DAY}|{store}|{channel}|{tier}",
        "t": tenant,
        "k": "orders",
        "d": DAY,
        "store_id": store,
        "channel": channel,
        "tier": tier,
        "c": {"orders": n, "gross": 100 * n, "returned": 0},
    }


async def winning_stage(db: Database, pipeline: list[dict[str, Any]]) -> str:
    explained = await db.command("explain", {"find": BUCKETS, "filter": pipeline[0]["$match"]})
    plan = explained["queryPlanner"]["winningPlan"]
    return str(plan.get("inputStage", {}).get("stage") or plan["stage"])


async def test_a_sum_filtered_by_store_channel_and_tier_walks_the_index_and_counts_only_them(
    db: Database, pipelines: Pipelines
) -> None:
    tenant = random_name()
    await db[BUCKETS].insert_many(
        [
            orders(tenant, "S1", "pos", "gold", 2),
            orders(tenant, "S1", "pos", "silver", 3),
            orders(tenant, "S2", "pos", "gold", 5),
            orders(random_name(), "S1", "pos", "gold", 7),
        ]
    )
    scope = Scope(tenant, DAY, DAY, store_ids=("S1",), channel="pos", tier="gold")

    rows = await MongoReports(db).sums(scope, Kind.ORDERS, ("store_id",), from_day=DAY, to_day=DAY)

    assert rows == [({"store_id": "S1"}, {"orders": 2, "gross": 200, "returned": 0})]
    assert await winning_stage(db, pipelines.sent[-1]) == "IXSCAN"


async def test_named_counters_are_summed_over_the_days_through_the_index(
    db: Database, pipelines: Pipelines
) -> None:
    tenant = random_name()

    def active(tenant: str, day: str, counts: dict[str, int]) -> dict[str, Any]:
        return {"_id": f"{tenant}|active|{day}|", "t": tenant, "k": "active", "d": day, "c": counts}

    await db[BUCKETS].insert_many(
        [
            active(tenant, "2026-03-01", {"30|*": 2, "30|s:S1": 1, "30|sc:S%2E1:pos": 1}),
            active(tenant, "2026-03-02", {"30|*": -1, "90|*": 4}),
            active(tenant, "2026-03-03", {"30|*": 10}),  # after the days read
            active(random_name(), "2026-03-01", {"30|*": 7}),
        ]
    )
    names = ["30|*", "30|sc:S%2E1:pos", "365|*"]

    sums = await MongoReports(db).counters(
        tenant, Kind.ACTIVE, names, from_day="2026-03-01", to_day="2026-03-02"
    )

    assert sums == {"30|*": 1, "30|sc:S%2E1:pos": 1, "365|*": 0}
    assert await winning_stage(db, pipelines.sent[-1]) == "IXSCAN"
