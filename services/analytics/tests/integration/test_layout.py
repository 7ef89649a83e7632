"""The read model's layout: a new deployment records it, a read model of an older layout
(or none recorded over logged events: an upgrade) is rebuilt at start with the same
figures, one replica rebuilds while the others wait, a rebuild that died is taken over
once its lease lapsed, reports wait meanwhile, and a release older than the layout leaves
the read model alone."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import grpc
import pytest
from grpc import aio
from nats.js import JetStreamContext

from libs.clock import utc_now
from libs.grpc.errors import error_code_of
from libs.mongo import Database, MongoClient
from libs.runtime import started_service
from loyalty.analytics.v1.analytics_pb2_grpc import AnalyticsServiceStub
from services.analytics.adapters.buckets import BUCKETS
from services.analytics.adapters.read_model import MEMBERS
from services.analytics.adapters.repositories import CONTROL, LOG, REBUILD, MongoUnitOfWork
from services.analytics.adapters.zones import StoredTimeZones
from services.analytics.domain.facts import Enrolled, Event
from services.analytics.domain.layout import READ_MODEL_LAYOUT, NewerLayout, RebuildHeld, Step
from services.analytics.domain.ports import LoggedEvent, Repositories
from services.analytics.entrypoints.events import parse_logged
from services.analytics.entrypoints.main import build
from services.analytics.handlers.ingest import ingest
from services.analytics.handlers.layout import keep_layout, standing
from services.analytics.handlers.rebuild import rebuild
from services.analytics.settings import AnalyticsSettings
from services.analytics.tests.integration import test_reports_from_the_stream as known_day
from tests.support.polling import settled


class CountingUnitOfWork(MongoUnitOfWork):
    """Counts how often the read model was cleared: once a rebuild."""

    clears = 0

    async def clear_read_model(self) -> None:
        type(self).clears += 1
        await super().clear_read_model()


def uow_of(analytics_db: tuple[MongoClient, Database]) -> MongoUnitOfWork:
    return MongoUnitOfWork(*analytics_db)


async def control(db: Database) -> dict[str, Any]:
    return await db[CONTROL].find_one({"_id": REBUILD}) or {}


async def test_a_new_deployment_records_the_layout_and_rebuilds_nothing(
    analytics_db: tuple[MongoClient, Database],
) -> None:
    _, db = analytics_db
    counting = CountingUnitOfWork(*analytics_db)
    before = CountingUnitOfWork.clears

    now = await keep_layout(counting, parse_logged, StoredTimeZones(db), holder="a")

    assert (now.step, now.reports_wait) == (Step.CURRENT, False)
    assert (await control(db))["layout"] == READ_MODEL_LAYOUT
    assert CountingUnitOfWork.clears == before


async def test_an_upgraded_read_model_is_rebuilt_at_start_with_the_same_figures(
    analytics: Any,
    publisher: JetStreamContext,
    tenant: str,
    settings: AnalyticsSettings,
    analytics_db: tuple[MongoClient, Database],
) -> None:
    fed = await known_day.fed_reports(analytics, publisher, tenant)
    _, db = analytics_db
    # What an older release left: no layout recorded, and a document of a shape no report
    # reads any more.
    await db[CONTROL].update_one({"_id": REBUILD}, {"$unset": {"layout": ""}})
    await db[BUCKETS].insert_one({"_id": f"old:{tenant}", "t": tenant, "k": "orders", "d": 1})
    assert (await standing(uow_of(analytics_db))).step is Step.REBUILD

    async with (
        started_service("analytics", settings, build, listen="127.0.0.1:0") as server,
        aio.insecure_channel(f"127.0.0.1:{server.port}") as channel,
    ):
        restarted = AnalyticsServiceStub(channel)

        async def answered() -> Any:
            try:
                return await known_day.reports(restarted, tenant)
            except aio.AioRpcError as error:
                return error_code_of(error)  # while it rebuilds

        found = await settled(answered, lambda found: found != "analytics_rebuilding", within=60)
        assert found == fed

    assert await db[BUCKETS].find_one({"_id": f"old:{tenant}"}) is None
    assert (await control(db))["layout"] == READ_MODEL_LAYOUT
    assert (await control(db))["running"] is False


async def test_replicas_starting_together_rebuild_once(
    analytics: Any,
    publisher: JetStreamContext,
    tenant: str,
    analytics_db: tuple[MongoClient, Database],
) -> None:
    fed = await known_day.fed_reports(analytics, publisher, tenant)
    _, db = analytics_db
    await db[CONTROL].update_one({"_id": REBUILD}, {"$set": {"layout": READ_MODEL_LAYOUT - 1}})
    before = CountingUnitOfWork.clears
    zones = StoredTimeZones(db)

    ends = await asyncio.gather(
        *(
            keep_layout(CountingUnitOfWork(*analytics_db), parse_logged, zones, holder=name)
            for name in ("a", "b", "c")
        )
    )

    assert CountingUnitOfWork.clears - before == 1
    assert sum(end.reports_wait for end in ends) <= 2  # the others saw the one running
    assert (await standing(uow_of(analytics_db))).reports_wait is False
    assert await known_day.reports(analytics, tenant) == fed


async def test_a_replica_that_saw_the_old_layout_does_not_rebuild_what_another_just_did(
    analytics_db: tuple[MongoClient, Database],
) -> None:
    _, db = analytics_db
    await db[CONTROL].update_one(
        {"_id": REBUILD}, {"$set": {"layout": READ_MODEL_LAYOUT - 1}}, upsert=True
    )
    zones = StoredTimeZones(db)
    await rebuild(uow_of(analytics_db), parse_logged, zones, holder="first")
    before = CountingUnitOfWork.clears

    # The second looked before the first had finished, and asks only now.
    with pytest.raises(RebuildHeld):
        await rebuild(
            CountingUnitOfWork(*analytics_db),
            parse_logged,
            zones,
            holder="second",
            unless_layout=READ_MODEL_LAYOUT,
        )

    assert CountingUnitOfWork.clears == before
    assert (await control(db))["layout"] == READ_MODEL_LAYOUT


async def test_a_rebuild_that_died_holds_until_its_lease_lapses_then_is_taken_over(
    analytics_db: tuple[MongoClient, Database],
    analytics: Any,
    publisher: JetStreamContext,
    tenant: str,
) -> None:
    fed = await known_day.fed_reports(analytics, publisher, tenant)
    _, db = analytics_db
    uow, zones, now = uow_of(analytics_db), StoredTimeZones(db), utc_now()

    async def die_midway(repos: Repositories) -> bool:
        await repos.enter()
        return await repos.claim_rebuild("dead", now, now + timedelta(seconds=60))

    assert await uow.transaction(die_midway)

    held = await keep_layout(uow, parse_logged, zones, holder="b", clock=lambda: now)
    assert (held.rebuilding, held.reports_wait) == (True, True)
    later = now + timedelta(seconds=61)
    taken = await keep_layout(uow, parse_logged, zones, holder="b", clock=lambda: later)

    assert (taken.step, taken.rebuilding, taken.abandoned) == (Step.CURRENT, False, False)
    assert await known_day.reports(analytics, tenant) == fed

    async def dead_holds_on(repos: Repositories) -> bool:
        return await repos.hold_rebuild("dead", later + timedelta(seconds=60))

    assert await uow.transaction(dead_holds_on) is False  # it lost the read model


async def test_reports_wait_while_a_rebuild_holds_the_read_model(
    settings: AnalyticsSettings, analytics_db: tuple[MongoClient, Database], tenant: str
) -> None:
    quick = settings.model_copy(update={"layout_poll_seconds": 0.2})
    uow, now = uow_of(analytics_db), utc_now()
    async with (
        started_service("analytics", quick, build, listen="127.0.0.1:0") as server,
        aio.insecure_channel(f"127.0.0.1:{server.port}") as channel,
    ):
        stub = AnalyticsServiceStub(channel)
        assert await known_day.reports(stub, tenant)

        async def another_rebuilds(repos: Repositories) -> bool:
            await repos.enter()
            return await repos.claim_rebuild("cli", now, now + timedelta(minutes=5))

        assert await uow.transaction(another_rebuilds)

        async def refused() -> tuple[grpc.StatusCode | None, str]:
            try:
                await known_day.reports(stub, tenant)
            except aio.AioRpcError as error:
                return error.code(), error_code_of(error) or ""
            return None, ""

        waiting = (grpc.StatusCode.UNAVAILABLE, "analytics_rebuilding")
        assert await settled(refused, lambda answer: answer != (None, "")) == waiting

        async def done(repos: Repositories) -> bool:
            return await repos.finish_rebuild("cli", READ_MODEL_LAYOUT)

        assert await uow.transaction(done)
        assert await settled(refused, lambda answer: answer == (None, "")) == (None, "")


async def test_a_release_older_than_the_layout_takes_no_event(
    analytics_db: tuple[MongoClient, Database], tenant: str
) -> None:
    _, db = analytics_db
    uow = uow_of(analytics_db)
    await db[CONTROL].update_one(
        {"_id": REBUILD}, {"$set": {"layout": READ_MODEL_LAYOUT + 1}}, upsert=True
    )
    event = Event("e1", tenant, (Enrolled(tenant, "m1", utc_now(), channel="pos"),))
    logged = LoggedEvent("e1", tenant, 1, f"loyalty.{tenant}.member.enrolled", b"")
    with pytest.raises(NewerLayout):
        await ingest([(logged, event)], uow, StoredTimeZones(db))
    assert await db[LOG].find_one({"_id": "e1"}) is None
    assert await db[MEMBERS].find_one({"t": tenant}) is None


async def test_where_the_read_model_stands_is_read_while_a_batch_holds_it_as_writer(
    analytics_db: tuple[MongoClient, Database],
) -> None:
    uow = uow_of(analytics_db)
    await keep_layout(uow, parse_logged, StoredTimeZones(analytics_db[1]), holder="first")
    read = asyncio.Event()

    async def a_long_batch(repos: Repositories) -> None:
        await repos.enter()  # the consumer's writer mark, uncommitted until the batch ends
        await asyncio.wait_for(read.wait(), timeout=15)

    batch = asyncio.create_task(uow.transaction(a_long_batch))
    await asyncio.sleep(0.2)  # the batch has written its mark

    found = await asyncio.wait_for(standing(uow), timeout=5)
    read.set()
    await batch

    assert found.step is Step.CURRENT
    assert not found.reports_wait
