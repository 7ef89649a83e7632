"""The buckets as stored (a document per tenant, kind and day and per month, split in
parts when large) give every sum the old one-document-per-combination-and-day buckets
gave, read through the buckets' index from a few dozen documents a year."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Sequence
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import pytest
from pymongo import AsyncMongoClient, monitoring

from libs.mongo import Database, MongoClient
from libs.tests.integration.support import random_name
from services.analytics.adapters import buckets
from services.analytics.adapters.buckets import BUCKETS
from services.analytics.adapters.read_model import MongoReadModel
from services.analytics.adapters.reports import COUNTERS, FILTERED, MongoReports
from services.analytics.adapters.repositories import ensure_indexes
from services.analytics.adapters.running import RUNNING
from services.analytics.domain.buckets import Increment, Kind
from services.analytics.domain.ports import Row, Scope
from services.analytics.handlers.reports import FIRST_DAY

DAY = "2026-03-02"


class Reads(monitoring.CommandListener):
    """The bucket queries the client sent and how many documents they returned."""

    def __init__(self) -> None:
        self.filters: list[dict[str, Any]] = []
        self.documents = 0

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name == "find" and event.command.get("find") == BUCKETS:
            self.filters.append(dict(event.command["filter"]))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        cursor = event.reply.get("cursor") or {}
        if event.command_name in ("find", "getMore") and cursor.get("ns", "").endswith(BUCKETS):
            self.documents += len(cursor.get("firstBatch") or cursor.get("nextBatch") or [])

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


@pytest.fixture
def reads() -> Reads:
    return Reads()


@pytest.fixture
async def db(mongo_url: str, reads: Reads) -> AsyncIterator[Database]:
    client: MongoClient = AsyncMongoClient(mongo_url, event_listeners=[reads], tz_aware=True)
    database = client[f"analytics_{uuid4().hex[:8]}"]
    await ensure_indexes(database)
    yield database
    await client.close()


def sale(day: str, store: str, channel: str, tier: str, n: int) -> Increment:
    dims = (("store_id", store), ("channel", channel), ("tier", tier))
    return Increment(Kind.ORDERS, day, dims, (("orders", n), ("gross", 100 * n)))


async def written(db: Database, tenant: str, increments: Sequence[Increment]) -> None:
    model = MongoReadModel(db, None)
    model.add(tenant, increments)
    await model.flush()


async def winning_stage(db: Database, query: dict[str, Any]) -> str:
    explained = await db.command("explain", {"find": BUCKETS, "filter": query})
    plan = explained["queryPlanner"]["winningPlan"]
    return str(plan.get("inputStage", {}).get("stage") or plan["stage"])


async def test_a_sum_filtered_by_store_channel_and_tier_walks_the_index_and_counts_only_them(
    db: Database, reads: Reads
) -> None:
    tenant = random_name()
    await written(
        db,
        tenant,
        [
            sale(DAY, "S1", "pos", "gold", 2),
            sale(DAY, "S1", "pos", "silver", 3),
            sale(DAY, "S2", "pos", "gold", 5),
        ],
    )
    await written(db, random_name(), [sale(DAY, "S1", "pos", "gold", 7)])
    scope = Scope(tenant, DAY, DAY, store_ids=("S1",), channel="pos", tier="gold")

    rows = await MongoReports(db).sums(scope, Kind.ORDERS, ("store_id",), from_day=DAY, to_day=DAY)

    assert rows == [({"store_id": "S1"}, {"orders": 2, "gross": 200, "returned": 0})]
    assert reads.filters
    assert [await winning_stage(db, query) for query in reads.filters] == ["IXSCAN"] * len(
        reads.filters
    )


async def test_named_counters_are_summed_over_the_days_through_the_index(
    db: Database, reads: Reads
) -> None:
    tenant = random_name()

    def active(day: str, counts: dict[str, int]) -> Increment:
        return Increment(Kind.ACTIVE, day, (), tuple(counts.items()))

    await written(
        db,
        tenant,
        [
            active("2026-03-01", {"30|*": 2, "30|s:S1": 1, "30|sc:S%2E1:pos": 1}),
            active("2026-03-02", {"30|*": -1, "90|*": 4}),
            active("2026-03-03", {"30|*": 10}),  # after the days read
        ],
    )
    await written(db, random_name(), [active("2026-03-01", {"30|*": 7})])
    names = ["30|*", "30|sc:S%2E1:pos", "365|*"]

    sums = await MongoReports(db).counters(
        tenant, Kind.ACTIVE, names, from_day="2026-03-01", to_day="2026-03-02"
    )

    assert sums == {"30|*": 1, "30|sc:S%2E1:pos": 1, "365|*": 0}
    assert reads.filters
    assert {await winning_stage(db, query) for query in reads.filters} == {"IXSCAN"}


def days_of(first: str, n: int) -> list[str]:
    return [(date.fromisoformat(first) + timedelta(days=i)).isoformat() for i in range(n)]


async def test_a_year_of_lines_with_every_sku_every_day_is_read_from_a_few_dozen_documents(
    db: Database, reads: Reads
) -> None:
    tenant = random_name()
    days = days_of("2025-03-01", 400)
    lines = [
        Increment(
            Kind.LINES,
            day,
            (
                ("store_id", "S1"),
                ("channel", "pos"),
                ("tier", "gold"),
                ("category", "c"),
                ("sku", f"K{k}"),
            ),
            (("quantity", 1), ("gross", 10)),
        )
        for day in days
        for k in range(20)
    ]
    await written(db, tenant, lines)
    reads.documents = 0  # the flush reads each month before a new one (its balance)
    scope = Scope(tenant, "2025-03-15", "2026-03-14")

    rows = await MongoReports(db).sums(
        scope, Kind.LINES, ("sku",), from_day=scope.from_day, to_day=scope.to_day
    )

    assert len(rows) == 20
    assert {counts["quantity"] for _, counts in rows} == {365}
    # everything up to 2026-03-14 less everything up to 2025-03-14: the balance of March
    # 2026 (every line before it) and its first 14 days, less March 2025's (nothing before
    # it) and its 14 days: not 11 whole months and 31 days, nor 365 times 20 buckets
    assert reads.documents == 14 + 14
    assert await db[RUNNING].count_documents({"t": tenant, "v": "category,sku"}) == 14


async def test_a_year_of_lines_filtered_by_two_of_store_channel_and_tier_never_reads_the_full_view(
    db: Database, reads: Reads
) -> None:
    tenant = random_name()
    days = days_of("2025-03-01", 400)
    places = [("S1", "pos", "gold"), ("S1", "pos", "silver"), ("S2", "pos", "gold")]
    places += [("", "app", "gold")]
    lines = [
        Increment(
            Kind.LINES,
            day,
            (
                *((("store_id", store),) if store else ()),
                ("channel", channel),
                ("tier", tier),
                ("category", "c"),
                ("sku", f"K{k}"),
            ),
            (("quantity", 1), ("gross", 10)),
        )
        for day in days
        for store, channel, tier in places
        for k in range(5)
    ]
    await written(db, tenant, lines)
    scopes = {
        ("S1", "", "gold"): 365,
        ("S1", "pos", ""): 2 * 365,
        ("", "pos", "gold"): 2 * 365,
        ("S1", "pos", "gold"): 365,
        ("", "app", "gold"): 365,
    }
    for (store, channel, tier), quantity in scopes.items():
        reads.filters, reads.documents = [], 0
        stores = (store,) if store else ()
        scope = Scope(tenant, "2025-03-15", "2026-03-14", stores, channel, tier)

        rows = await MongoReports(db).sums(
            scope, Kind.LINES, ("sku",), from_day=scope.from_day, to_day=scope.to_day
        )

        assert {counts["quantity"] for _, counts in rows} == {quantity}, scope
        # two balances and their days of one roll-up's value (the balance of March 2026
        # and its 14 days, less March 2025's and its 14), never the full view's documents
        assert reads.filters, scope
        assert all(query["v"] for query in reads.filters), scope
        assert reads.documents == 14 + 14, scope


# The old buckets' meaning, worked out from the increments themselves.
def expected(
    increments: Sequence[Increment],
    scope: Scope,
    kind: Kind,
    by: Sequence[str],
    span: tuple[str, str],
) -> list[Row]:
    wanted: dict[str, set[str]] = {}
    applies = FILTERED[kind]
    if "store_id" in applies and scope.store_ids:
        wanted["store_id"] = set(scope.store_ids)
    if "channel" in applies and scope.channel:
        wanted["channel"] = {scope.channel}
    if "tier" in applies and scope.tier:
        wanted["tier"] = {scope.tier}
    groups: dict[tuple[str, ...], dict[str, int]] = {}
    for inc in increments:
        dims = dict(inc.dims)
        if inc.kind != kind or not span[0] <= inc.day <= span[1]:
            continue
        if any(dims.get(name) not in values for name, values in wanted.items()):
            continue
        group = tuple(inc.day if name == "day" else dims.get(name, "") for name in by)
        into = groups.setdefault(group, dict.fromkeys(COUNTERS[kind], 0))
        for name, n in inc.counts:
            into[name] += n
    return [(dict(zip(by, group, strict=True)), counts) for group, counts in sorted(groups.items())]


def random_increments(rng: random.Random, days: list[str], n: int) -> list[Increment]:
    made: list[Increment] = []
    for _ in range(n):
        day = rng.choice(days)
        store, channel = rng.choice([("S1", "pos"), ("S2", "pos"), ("", "app"), ("S.3", "pos")])
        tier = rng.choice(["bronze", "silver", "gold"])
        sale_dims = (("store_id", store), ("channel", channel), ("tier", tier))
        made.append(sale(day, store, channel, tier, rng.randint(1, 3)))
        sku = f"SKU-{rng.randrange(40)}"
        line = (*sale_dims, ("category", rng.choice(["shoes", "home|$x"])), ("sku", sku))
        # now and then a line that counts nothing: still a row of its day
        counts = (("quantity", 0),) if rng.random() < 0.03 else (("quantity", 1), ("returned", 3))
        made.append(Increment(Kind.LINES, day, line, counts))
        made.append(
            Increment(Kind.TIERS, day, (("tier", tier),), (("members", rng.choice([1, -1])),))
        )
        made.append(
            Increment(
                Kind.POINTS, day, (("channel", channel), ("store_id", store)), (("issued", 7),)
            )
        )
    return made


async def test_every_sum_equals_the_old_buckets_sum_whatever_the_batches_and_the_splits(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # parts of a few kilobytes: the months of lines are split, and split again as they grow
    monkeypatch.setattr(buckets, "PART_BYTES", 4_000)
    tenant = random_name()
    rng = random.Random(16)
    days = days_of("2025-11-20", 150)
    increments = random_increments(rng, days, 1_500)
    model = MongoReadModel(db, None)
    for first in range(0, len(increments), 200):
        model.add(tenant, increments[first : first + 200])
        # as the bench loads: some batches keep their counts for the next flush
        await model.flush(buckets=first % 400 == 0)
    await model.flush()
    assert await db[BUCKETS].count_documents({"t": tenant, "k": "lines", "p": {"$gt": 0}}) > 0
    # the running totals of the lines' roll-ups are split too, and read where cheaper
    assert await db[RUNNING].count_documents({"t": tenant, "p": {"$gt": 0}}) > 0
    reports = MongoReports(db)
    spans = [
        ("2025-11-20", days[-1]),
        ("2025-11-25", "2026-04-10"),
        ("2025-12-02", "2026-03-30"),
        ("2025-11-30", "2026-03-31"),
        ("2025-12-20", "2026-01-19"),
        ("2025-12-01", "2026-02-28"),
        ("2025-12-15", "2026-02-03"),
        ("2026-01-05", "2026-01-20"),
        (FIRST_DAY, "2026-01-31"),
        (FIRST_DAY, "2026-02-10"),
    ]
    scopes = [
        Scope(tenant, "", ""),
        Scope(tenant, "", "", store_ids=("S1", "S.3")),
        Scope(tenant, "", "", channel="pos", tier="gold"),
        Scope(tenant, "", "", channel="app"),
        Scope(tenant, "", "", tier="silver"),
        Scope(tenant, "", "", store_ids=("S2",), tier="bronze"),
        Scope(tenant, "", "", store_ids=("S1",), channel="pos"),
        Scope(tenant, "", "", store_ids=("S1", "S.3"), tier="gold"),
        Scope(tenant, "", "", store_ids=("S.3",), channel="pos", tier="silver"),
        Scope(tenant, "", "", channel="app", tier="bronze"),
        Scope(tenant, "", "", store_ids=("S2",), channel="app"),
    ]
    groupings: dict[Kind, list[tuple[str, ...]]] = {
        Kind.ORDERS: [(), ("store_id", "channel", "tier"), ("day",)],
        Kind.LINES: [("category", "sku"), ("day", "sku")],
        Kind.TIERS: [("tier",), ("day", "tier")],
        Kind.POINTS: [("day",), ("store_id",)],
    }

    for kind, bys in groupings.items():
        for by in bys:
            for scope in scopes:
                for span in spans:
                    found = await reports.sums(scope, kind, by, from_day=span[0], to_day=span[1])
                    assert found == expected(increments, scope, kind, by, span), (
                        kind,
                        by,
                        scope,
                        span,
                    )
