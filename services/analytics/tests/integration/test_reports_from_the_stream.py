"""Known events through the real stream, and every report's numbers worked out by hand:
a return made at another store, a merge (history follows the survivor), an erasure
(counted, not identified) and an event delivered twice (counted once). A rebuild from the
service's own log gives the same figures."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import timedelta
from typing import Any

from nats.js import JetStreamContext

from libs.mongo import Database, MongoClient
from libs.stack.apps import REPO_ROOT
from libs.timestamps import timestamp
from loyalty.analytics.v1 import analytics_pb2 as pb
from services.analytics.adapters.repositories import MongoUnitOfWork
from services.analytics.adapters.zones import StoredTimeZones
from services.analytics.entrypoints.events import parse_logged
from services.analytics.handlers.rebuild import rebuild
from services.analytics.settings import AnalyticsSettings
from services.analytics.tests.integration.feed import Feed, balance, line, local
from tests.support.polling import settled

DAY, NEXT = "2026-11-10", "2026-11-11"
AS_OF = local(NEXT, 12)
IN_45, IN_75, IN_100 = (local(DAY, 9) + timedelta(days=n) for n in (45, 75, 100))


async def feed_a_known_day(js: JetStreamContext, tenant: str) -> None:
    """Three members enrol (one at 01:00 in Shanghai: the day before in UTC) and buy; one
    order is partly returned at another store; the third member is merged into the first;
    the second is erased and loses points to expiry; one purchase is delivered twice."""
    feed = Feed(js, tenant)
    await feed.enrolled("m1", local(DAY, 1), "pos", "S1")
    await feed.enrolled("m2", local(DAY, 9), "app", "")
    await feed.enrolled("m3", local(DAY, 10), "pos", "S2")
    shoes, socks = line("A", "shoes", 2, "60.00"), line("B", "socks", 1, "40.00")
    first = await feed.earned(
        "m1",
        local(DAY, 11),
        "o1",
        where=("pos", "S1"),
        total="100.00",
        lines=[shoes, socks],
        after=balance(100, (100, IN_45)),
    )
    await feed.earned(
        "m2",
        local(DAY, 12),
        "o2",
        where=("app", ""),
        total="50.00",
        lines=[line("B", "socks", 1, "50.00")],
        after=balance(50, (50, IN_75)),
    )
    await feed.earned(
        "m3",
        local(DAY, 13),
        "o3",
        where=("pos", "S2"),
        total="30.00",
        lines=[line("C", "bags", 1, "30.00")],
        after=balance(30, (30, IN_100)),
    )
    await feed.returned(
        "m1",
        local(DAY, 18),
        "o1",
        where=("pos", "S2"),
        points=40,
        amount="40.00",
        lines=[socks],
        after=balance(60, (60, IN_45)),
    )
    await feed.tier_changed("m1", local(NEXT, 9), "gold")
    await feed.merged("m1", "m3", local(NEXT, 10), balance(90, (60, IN_45), (30, IN_100)))
    await feed.erased("m2", local(NEXT, 11))
    # The same purchase again, past the stream's duplicate check: only the inbox stops it.
    await feed.publish("points.earned", first, msg_id=first.meta.event_id + "-again")
    await feed.expired("m2", local(NEXT, 11), 10, balance(40, (40, IN_75)))


def scope(tenant: str, **filters: Any) -> pb.ReportScope:
    return pb.ReportScope(tenant_id=tenant, from_day=DAY, to_day=NEXT, **filters)


async def reports(analytics: Any, tenant: str) -> tuple[Any, Any, Any]:
    overview = await analytics.GetProgrammeOverview(
        pb.GetProgrammeOverviewRequest(scope=scope(tenant))
    )
    sales = await analytics.GetSalesReport(pb.GetSalesReportRequest(scope=scope(tenant)))
    liability = await analytics.GetPointsLiability(
        pb.GetPointsLiabilityRequest(tenant_id=tenant, as_of=timestamp(AS_OF))
    )
    return overview, sales, liability


async def fed_reports(
    analytics: Any, publisher: JetStreamContext, tenant: str
) -> tuple[Any, Any, Any]:
    await feed_a_known_day(publisher, tenant)

    async def read() -> tuple[Any, Any, Any]:
        return await reports(analytics, tenant)

    def last_event_in(found: tuple[Any, Any, Any]) -> bool:
        return any(day.expired for day in found[0].points)

    return await settled(read, last_event_in, within=60)


async def test_the_overview_counts_enrolments_points_active_members_and_tiers_by_hand(
    analytics: Any, publisher: JetStreamContext, tenant: str
) -> None:
    overview, _, _ = await fed_reports(analytics, publisher, tenant)

    enrolments = {(e.day, e.channel, e.store_id): e.members for e in overview.enrolments}
    assert enrolments == {(DAY, "pos", "S1"): 1, (DAY, "app", ""): 1, (DAY, "pos", "S2"): 1}
    points = {p.day: (p.issued, p.redeemed, p.expired, p.reversed) for p in overview.points}
    assert points == {DAY: (180, 0, 0, 40), NEXT: (0, 0, 10, 0)}
    tiers = {(t.day, t.tier): t.members for t in overview.tiers}
    assert tiers == {(DAY, "member"): 3, (DAY, "gold"): 0, (NEXT, "member"): 1, (NEXT, "gold"): 1}
    active = overview.active
    # m1 (with m3's purchase) and m2, erased but counted; m3 is no member any more
    assert (active.last_30_days, active.last_90_days, active.last_365_days) == (2, 2, 2)


async def test_sales_are_net_of_the_return_at_the_store_where_it_was_made(
    analytics: Any, publisher: JetStreamContext, tenant: str
) -> None:
    _, sales, _ = await fed_reports(analytics, publisher, tenant)

    total = sales.total
    assert (total.orders, total.gross, total.returned, total.net) == (
        3,
        "180.00",
        "40.00",
        "140.00",
    )
    assert (total.quantity, total.returned_quantity) == (5, 1)
    by_store = {
        r.store_id: (r.figures.orders, r.figures.gross, r.figures.returned) for r in sales.by_store
    }
    assert by_store == {
        "": (1, "50.00", "0.00"),
        "S1": (1, "100.00", "0.00"),
        "S2": (1, "30.00", "40.00"),
    }
    by_category = {
        r.category: (r.figures.gross, r.figures.returned, r.figures.net) for r in sales.by_category
    }
    assert by_category == {
        "bags": ("30.00", "0.00", "30.00"),
        "shoes": ("60.00", "0.00", "60.00"),  # 2 pairs for 60.00 in all
        "socks": ("90.00", "40.00", "50.00"),
    }
    (member_tier,) = sales.by_tier
    assert (member_tier.tier, member_tier.figures.net, member_tier.average_order_value) == (
        "member",
        "140.00",
        "46.67",
    )


async def test_a_store_filter_keeps_only_that_stores_sales_and_enrolments(
    analytics: Any, publisher: JetStreamContext, tenant: str
) -> None:
    await fed_reports(analytics, publisher, tenant)

    only = scope(tenant, store_ids=["S2"])
    sales = await analytics.GetSalesReport(pb.GetSalesReportRequest(scope=only))
    overview = await analytics.GetProgrammeOverview(pb.GetProgrammeOverviewRequest(scope=only))

    assert (sales.total.orders, sales.total.gross, sales.total.returned) == (1, "30.00", "40.00")
    assert [(e.store_id, e.members) for e in overview.enrolments] == [("S2", 1)]
    # m3 bought at S2, and its purchase now belongs to m1
    assert overview.active.last_30_days == 1


async def test_the_liability_sums_the_last_wallets_and_their_lots_by_hand(
    analytics: Any, publisher: JetStreamContext, tenant: str
) -> None:
    _, _, liability = await fed_reports(analytics, publisher, tenant)
    await analytics.PutAnalyticsSettings(
        pb.PutAnalyticsSettingsRequest(
            tenant_id=tenant, settings=pb.AnalyticsSettings(point_value="0.01", currency="CNY")
        )
    )
    valued = await analytics.GetPointsLiability(
        pb.GetPointsLiabilityRequest(tenant_id=tenant, as_of=timestamp(AS_OF))
    )

    # m1 90 (60 expiring in 44 days, 30 in 99), m2 40 (in 74 days), m3 0 after the merge
    assert (liability.available, liability.held, liability.pending) == (130, 0, 0)
    assert (liability.outstanding, liability.members, liability.as_of_day) == (130, 3, NEXT)
    assert {e.days: e.points for e in liability.expiring} == {30: 0, 60: 60, 90: 100}
    breakage = {b.days: (b.issued, b.expired, b.rate) for b in liability.breakage}
    assert breakage[30] == (180, 10, "0.0556")
    assert liability.outstanding_value == ""
    assert (valued.outstanding_value, valued.currency) == ("1.30", "CNY")


async def test_a_rebuild_from_the_log_gives_identical_figures(
    analytics: Any,
    publisher: JetStreamContext,
    tenant: str,
    analytics_db: tuple[MongoClient, Database],
) -> None:
    before = await fed_reports(analytics, publisher, tenant)
    client, db = analytics_db
    # a read model gone wrong: every day's and month's orders count one more
    async for doc in db["buckets"].find({"t": tenant, "k": "orders"}):
        key = next(iter(doc["r"]))
        await db["buckets"].update_one({"_id": doc["_id"]}, {"$inc": {f"r.{key}.orders": 1}})
    assert await reports(analytics, tenant) != before

    replayed = await rebuild(MongoUnitOfWork(client, db), parse_logged, StoredTimeZones(db))
    after = await reports(analytics, tenant)

    # twelve events, the one delivered twice logged once
    assert await db["log"].count_documents({"t": tenant}) == 12
    assert replayed >= 12
    assert after == before


def run_rebuild(settings: AnalyticsSettings) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MONGO_URL": settings.mongo_url, "MONGO_DB": settings.mongo_db}
    return subprocess.run(
        [sys.executable, "-m", "services.analytics.rebuild"],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_make_analytics_rebuild_replays_the_log_beside_the_running_service(
    analytics: Any,
    publisher: JetStreamContext,
    tenant: str,
    settings: AnalyticsSettings,
    analytics_db: tuple[MongoClient, Database],
) -> None:
    before = await fed_reports(analytics, publisher, tenant)
    _, db = analytics_db
    await db["buckets"].delete_many({"t": tenant})  # every figure gone

    done = await asyncio.to_thread(run_rebuild, settings)

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"rebuilt {settings.mongo_db} from ")
    assert await reports(analytics, tenant) == before


async def test_events_arriving_during_a_rebuild_are_counted_once(
    analytics: Any,
    publisher: JetStreamContext,
    tenant: str,
    analytics_db: tuple[MongoClient, Database],
) -> None:
    await fed_reports(analytics, publisher, tenant)
    client, db = analytics_db
    feed = Feed(publisher, tenant)

    async def more_enrolments() -> None:
        for n in range(20):
            await feed.enrolled(f"late-{n}", local(NEXT, 15), "app", "S9")

    # small pages: many transactions, so the consumer's batches fall between them
    uow = MongoUnitOfWork(client, db)
    await asyncio.gather(rebuild(uow, parse_logged, StoredTimeZones(db), page=2), more_enrolments())

    async def late() -> int:
        overview = await analytics.GetProgrammeOverview(
            pb.GetProgrammeOverviewRequest(scope=scope(tenant, store_ids=["S9"]))
        )
        return sum(e.members for e in overview.enrolments)

    assert await settled(late, lambda n: n >= 20, within=60) == 20
    overview, sales, liability = await reports(analytics, tenant)
    assert sum(e.members for e in overview.enrolments) == 23
    assert (sales.total.orders, liability.available) == (3, 130)
    assert (await db["control"].find_one({"_id": "rebuild"}) or {}).get("running") is False
