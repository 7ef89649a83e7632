"""A batch keeps its members in memory, changed as the database will change them, and
writes them once: replaying the log in one batch gives exactly the members, orders,
campaigns, buckets, kept liability, member pages and retention counts, and every report,
that replaying it event by event gives (each event its own transaction, so every member
is read back from the database), and the figures the other tests work out by hand."""

from __future__ import annotations

from typing import Any

from nats.js import JetStreamContext

from libs.mongo import Database, Doc, MongoClient
from loyalty.analytics.v1 import analytics_pb2 as pb
from services.analytics.adapters.buckets import BUCKETS
from services.analytics.adapters.cohort_counts import COHORTS
from services.analytics.adapters.liability import LIABILITY
from services.analytics.adapters.pages import PAGES
from services.analytics.adapters.read_model import CAMPAIGNS, MEMBERS, ORDERS
from services.analytics.adapters.repositories import MongoUnitOfWork
from services.analytics.adapters.zones import StoredTimeZones
from services.analytics.entrypoints.events import parse_logged
from services.analytics.handlers.rebuild import rebuild
from services.analytics.tests.integration import test_churn_from_the_stream as spring
from services.analytics.tests.integration import test_reports_from_the_stream as known_day
from tests.support.polling import settled


async def documents(db: Database, tenant: str) -> dict[str, list[Doc]]:
    """The tenant's members, orders, campaigns, buckets, kept liability, member pages and
    retention counts, each collection in `_id` order."""
    found: dict[str, list[Doc]] = {}
    for name in (MEMBERS, ORDERS, CAMPAIGNS, BUCKETS, LIABILITY, PAGES, COHORTS):
        docs = [doc async for doc in db[name].find({"t": tenant})]
        found[name] = sorted(docs, key=lambda doc: str(doc["_id"]))
    return found


async def replayed(
    analytics_db: tuple[MongoClient, Database], page: int, figures: Any
) -> tuple[dict[str, list[Doc]], Any]:
    """The read model rebuilt from the log `page` events a transaction: its documents and
    what `figures` reads from it."""
    client, db = analytics_db
    await rebuild(MongoUnitOfWork(client, db), parse_logged, StoredTimeZones(db), page=page)
    return await documents(db, figures.tenant), await figures()


class KnownDay:
    def __init__(self, analytics: Any, tenant: str) -> None:
        self.analytics, self.tenant = analytics, tenant

    async def __call__(self) -> tuple[Any, ...]:
        scope = known_day.scope(self.tenant)
        retention = await self.analytics.GetRetention(pb.GetRetentionRequest(scope=scope))
        rfm = await self.analytics.GetRfm(pb.GetRfmRequest(scope=scope))
        return (*await known_day.reports(self.analytics, self.tenant), retention, rfm)


class Spring:
    def __init__(self, analytics: Any, tenant: str) -> None:
        self.analytics, self.tenant = analytics, tenant

    async def __call__(self) -> Any:
        return await spring.read(self.analytics, self.tenant)


async def test_the_known_day_in_one_batch_gives_the_documents_and_figures_of_one_event_at_a_time(
    analytics: Any,
    publisher: JetStreamContext,
    tenant: str,
    analytics_db: tuple[MongoClient, Database],
) -> None:
    fed = await known_day.fed_reports(analytics, publisher, tenant)
    figures = KnownDay(analytics, tenant)

    one_at_a_time = await replayed(analytics_db, 1, figures)
    one_batch = await replayed(analytics_db, 500, figures)

    assert one_batch == one_at_a_time
    docs, found = one_batch
    assert found[:3] == fed  # the figures test_reports_from_the_stream works out by hand
    members = {doc["m"]: doc for doc in docs[MEMBERS]}
    assert members["m3"]["merged_into"] == "m1"
    assert members["m2"]["erased"] is True
    assert (members["m1"]["tier"], members["m1"]["available"]) == ("gold", 90)
    assert sorted(b["s"] for b in members["m1"]["buys"]) == ["S1", "S2"]  # m3's bought at S2
    assert members["m1"]["r"] == {known_day.DAY: 4000}
    assert {doc["_id"].split(":")[1]: doc["tier"] for doc in docs[ORDERS]} == {
        "o1": "member",
        "o2": "member",
        "o3": "member",
    }


async def test_the_spring_in_one_batch_gives_the_documents_and_churn_of_one_event_at_a_time(
    analytics: Any,
    publisher: JetStreamContext,
    tenant: str,
    analytics_db: tuple[MongoClient, Database],
) -> None:
    await spring.feed_spring(publisher, tenant)
    hand = (spring.EXPECTED, spring.WIN_BACK)
    await settled(
        lambda: spring.read(analytics, tenant),
        lambda found: (spring.rows(found), spring.win_back(found)) == hand,
    )
    figures = Spring(analytics, tenant)

    one_at_a_time = await replayed(analytics_db, 1, figures)
    one_batch = await replayed(analytics_db, 500, figures)

    assert one_batch == one_at_a_time
    docs, found = one_batch
    assert (spring.rows(found), spring.win_back(found)) == hand
    members = {doc["m"]: doc for doc in docs[MEMBERS]}
    assert members["e"]["no_profiling"] is True
    assert members["f"]["merged_into"] == "c"
    assert {r["c"] for r in members["c"]["rw"]} == {"back"}  # f's reward, taken by c
    assert {doc["c"] for doc in docs[CAMPAIGNS]} >= {"back"}
