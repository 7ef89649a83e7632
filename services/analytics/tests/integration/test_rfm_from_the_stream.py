"""The RFM grid from known events through the real stream, worked out by hand: scores by
the documented boundaries, a return lowering the monetary value, a merged member's orders
its survivor's, purchases outside the range left out, and a member who refused profiling
in no cell. A rebuild gives the same grid; a late purchase in a month the service keeps
summed in process counts at the next read, as the plain computation from the profiles
counts it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from nats.js import JetStreamContext

from libs.mongo import Database, MongoClient
from loyalty.analytics.v1 import analytics_pb2 as pb
from services.analytics.adapters.reports import MongoReports
from services.analytics.adapters.repositories import MongoUnitOfWork
from services.analytics.adapters.zones import StoredTimeZones
from services.analytics.domain.profiles import rfm_totals
from services.analytics.domain.rfm import cells
from services.analytics.entrypoints.events import parse_logged
from services.analytics.handlers.rebuild import rebuild
from services.analytics.tests.integration.feed import Feed, balance, line, local
from services.analytics.tests.integration.read_model_state import break_member
from tests.support.polling import settled

EXPECTED = [
    (5, 2, 3, 1, "350.00"),  # a: 1 day since, 2 orders, 350.00
    (5, 2, 1, 1, "80.00"),  # b with f's order: 4 days since, 2 orders, 80.00
    (4, 1, 5, 1, "3000.00"),  # d: 20 days since, 1 order in the range, 3,000.00
    (4, 1, 1, 1, "80.00"),  # c: 29 days since, 120.00 less 40.00 returned
]


async def feed_november(js: JetStreamContext, tenant: str) -> None:
    feed = Feed(js, tenant)
    for member in ("a", "b", "c", "d", "f", "g", "h"):
        await feed.enrolled(member, local("2026-10-01", 10), "pos", "S1")
    await feed.enrolled("e", local("2026-10-01", 10), "pos", "S1", {"profiling": False})
    await feed.bought("a", local("2026-11-28", 10), "a1", "100.00")
    await feed.bought("a", local("2026-11-29", 10), "a2", "250.00")
    await feed.bought("b", local("2026-11-25", 10), "b1", "50.00")
    await feed.bought("f", local("2026-11-26", 10), "f1", "30.00")
    await feed.merged("b", "f", local("2026-11-27", 10), balance(80))
    await feed.bought("c", local("2026-11-01", 10), "c1", "120.00")
    await feed.returned(
        "c",
        local("2026-11-05", 10),
        "c1",
        where=("pos", "S1"),
        points=40,
        amount="40.00",
        lines=[line("A", "shoes", 1, "40.00")],
        after=balance(80),
    )
    await feed.bought("d", local("2026-10-20", 10), "d1", "500.00")
    await feed.bought("d", local("2026-11-10", 10), "d2", "3000.00")
    await feed.bought("e", local("2026-11-29", 10), "e1", "900.00")
    await feed.bought("g", local("2026-12-01", 10), "g1", "20.00")


async def read(
    analytics: Any, tenant: str, from_day: str = "2026-11-01", to_day: str = "2026-11-30"
) -> list[tuple[Any, ...]]:
    scope = pb.ReportScope(tenant_id=tenant, from_day=from_day, to_day=to_day)
    answer = await analytics.GetRfm(pb.GetRfmRequest(scope=scope))
    return [(c.recency, c.frequency, c.monetary, c.members, c.net) for c in answer.cells]


async def plain(db: Database, tenant: str, from_day: str, to_day: str) -> list[tuple[Any, ...]]:
    """The grid computed from every member's profile, nothing kept."""
    placed = rfm_totals(await MongoReports(db).profiles(tenant), from_day, to_day)
    return [
        (c.recency, c.frequency, c.monetary, c.members, f"{Decimal(c.net) / 100:.2f}")
        for c in cells(placed, to_day)
    ]


async def test_the_rfm_grid_places_members_by_hand(
    analytics: Any, publisher: JetStreamContext, tenant: str
) -> None:
    await feed_november(publisher, tenant)

    found = await settled(lambda: read(analytics, tenant), lambda found: found == EXPECTED)

    assert found == EXPECTED


async def test_a_rebuild_gives_the_same_grid(
    analytics: Any,
    publisher: JetStreamContext,
    tenant: str,
    analytics_db: tuple[MongoClient, Database],
) -> None:
    await feed_november(publisher, tenant)
    await settled(lambda: read(analytics, tenant), lambda found: found == EXPECTED)
    client, db = analytics_db
    # a read model gone wrong: the return forgotten
    await break_member(db, tenant, "c", {"$unset": {"r": ""}})
    assert await read(analytics, tenant) != EXPECTED

    await rebuild(MongoUnitOfWork(client, db), parse_logged, StoredTimeZones(db))

    assert await read(analytics, tenant) == EXPECTED


async def test_a_late_purchase_in_a_month_read_before_counts_at_the_next_read(
    analytics: Any,
    publisher: JetStreamContext,
    tenant: str,
    analytics_db: tuple[MongoClient, Database],
) -> None:
    _, db = analytics_db
    await feed_november(publisher, tenant)
    await settled(lambda: read(analytics, tenant), lambda found: found == EXPECTED)
    # October (cut) then November: the service keeps October's sums after this read
    days = ("2026-10-15", "2026-11-30")
    first = await read(analytics, tenant, *days)
    assert first == await plain(db, tenant, *days)

    await Feed(publisher, tenant).bought("c", local("2026-10-16", 10), "c0", "2000.00")

    found = await settled(lambda: read(analytics, tenant, *days), lambda found: found != first)
    assert found == await plain(db, tenant, *days)
    assert (4, 2, 4, 1, "2080.00") in found  # c: 2 orders, 2,120.00 less 40.00 returned
