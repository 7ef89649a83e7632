"""The retention triangle from known events through the real stream, worked out by hand:
cohorts by the month of enrolment in the tenant's time zone, a merged member's purchases
its survivor's, an erased member still counted, and members who refused profiling (at
enrolment or later) left out."""

from __future__ import annotations

from typing import Any

from nats.js import JetStreamContext

from libs.mongo import Database, MongoClient
from loyalty.analytics.v1 import analytics_pb2 as pb
from services.analytics.adapters.repositories import MongoUnitOfWork
from services.analytics.adapters.zones import StoredTimeZones
from services.analytics.entrypoints.events import parse_logged
from services.analytics.handlers.rebuild import rebuild
from services.analytics.tests.integration.feed import Feed, balance, local
from services.analytics.tests.integration.read_model_state import break_member
from tests.support.polling import settled

NO_PROFILING = {"marketing": True, "profiling": False}


async def feed_three_months(js: JetStreamContext, tenant: str) -> None:
    feed = Feed(js, tenant)
    # September: m1, m2 count; m3 refused profiling at enrolment, m4 later; m5 is merged
    await feed.enrolled("m1", local("2026-09-03", 10), "pos", "S1")
    await feed.bought("m1", local("2026-09-03", 11), "o1")
    await feed.enrolled("m5", local("2026-09-15", 10), "app", "")
    await feed.enrolled("m2", local("2026-09-20", 10), "app", "", {"profiling": True})
    await feed.enrolled("m3", local("2026-09-25", 10), "pos", "S1", NO_PROFILING)
    await feed.bought("m3", local("2026-09-25", 11), "o3")
    await feed.enrolled("m4", local("2026-09-28", 10), "pos", "S1", {"profiling": True})
    await feed.bought("m4", local("2026-09-28", 11), "o4")
    await feed.consents_changed("m4", local("2026-10-01", 9), NO_PROFILING)
    # October: m6 buys in October and after the range
    await feed.enrolled("m6", local("2026-10-02", 10), "pos", "S1")
    await feed.bought("m6", local("2026-10-02", 11), "o6")
    await feed.bought("m2", local("2026-10-10", 10), "o2")
    await feed.bought("m3", local("2026-10-11", 10), "o3b")
    await feed.bought("m5", local("2026-10-20", 10), "o5")  # becomes m1's
    await feed.merged("m1", "m5", local("2026-10-25", 10), balance(20))
    # November: m7 enrolls at 01:00 in Shanghai (October 31st in UTC); m8 buys and is erased
    await feed.enrolled("m7", local("2026-11-01", 1), "pos", "S1")
    await feed.enrolled("m8", local("2026-11-02", 10), "pos", "S1")
    await feed.bought("m8", local("2026-11-03", 10), "o8")
    await feed.erased("m8", local("2026-11-04", 10))
    await feed.bought("m1", local("2026-11-05", 10), "o1b")
    await feed.bought("m6", local("2026-12-01", 10), "o6b")


def triangle(answer: pb.GetRetentionResponse) -> list[tuple[Any, ...]]:
    return [
        (c.month, c.members, [(m.month, m.months_after, m.buyers, m.rate) for m in c.months])
        for c in answer.cohorts
    ]


EXPECTED = [
    (
        "2026-09",
        2,  # m1, m2
        [
            ("2026-09", 0, 1, "0.5000"),  # m1
            ("2026-10", 1, 2, "1.0000"),  # m2, and m1 through m5's purchase
            ("2026-11", 2, 1, "0.5000"),  # m1
        ],
    ),
    ("2026-10", 1, [("2026-10", 0, 1, "1.0000"), ("2026-11", 1, 0, "0.0000")]),  # m6
    ("2026-11", 2, [("2026-11", 0, 1, "0.5000")]),  # m7, m8 (erased, bought)
]


async def read(analytics: Any, tenant: str) -> list[tuple[Any, ...]]:
    scope = pb.ReportScope(tenant_id=tenant, from_day="2026-09-01", to_day="2026-11-30")
    return triangle(await analytics.GetRetention(pb.GetRetentionRequest(scope=scope)))


async def test_the_retention_triangle_counts_cohorts_by_hand(
    analytics: Any, publisher: JetStreamContext, tenant: str
) -> None:
    await feed_three_months(publisher, tenant)
    found = await settled(lambda: read(analytics, tenant), lambda found: found == EXPECTED)

    assert found == EXPECTED


async def test_a_rebuild_gives_the_same_triangle(
    analytics: Any,
    publisher: JetStreamContext,
    tenant: str,
    analytics_db: tuple[MongoClient, Database],
) -> None:
    await feed_three_months(publisher, tenant)
    await settled(lambda: read(analytics, tenant), lambda found: found == EXPECTED)
    client, db = analytics_db
    # a read model gone wrong: the member who refused profiling at enrolment counted
    await break_member(db, tenant, "m3", {"$set": {"no_profiling": False}})
    assert await read(analytics, tenant) != EXPECTED

    await rebuild(MongoUnitOfWork(client, db), parse_logged, StoredTimeZones(db))

    assert await read(analytics, tenant) == EXPECTED


async def test_a_month_nobody_enrolled_in_is_an_empty_cohort_with_no_rate(
    analytics: Any, publisher: JetStreamContext, tenant: str
) -> None:
    feed = Feed(publisher, tenant)
    await feed.enrolled("m1", local("2026-09-03", 10), "pos", "S1")
    scope = pb.ReportScope(tenant_id=tenant, from_day="2026-08-01", to_day="2026-09-30")

    async def read() -> list[tuple[Any, ...]]:
        return triangle(await analytics.GetRetention(pb.GetRetentionRequest(scope=scope)))

    found = await settled(read, lambda found: found[1][1] == 1, within=30)

    assert found == [
        ("2026-08", 0, [("2026-08", 0, 0, ""), ("2026-09", 1, 0, "")]),
        ("2026-09", 1, [("2026-09", 0, 0, "0.0000")]),
    ]
