"""The overview's active members, maintained as differences at ingest, are the members
the read of every member's last purchase counts: for every day and every scope (all, a
store, a channel, a store and a channel, several stores with or without a channel,
from the members kept in each set of stores), after purchases arriving out
of day order in batches, merges (one survivor merged in its turn), purchases naming a
merged member, a redelivered batch, a return and an erasure."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from libs.mongo import Database, MongoClient, make_client
from libs.tests.integration.support import random_name
from services.analytics.adapters.reports import MongoReports
from services.analytics.adapters.repositories import MongoUnitOfWork, ensure_indexes
from services.analytics.domain.facts import Erased, Event, Fact, Merged, Purchased, Returned
from services.analytics.domain.ports import LoggedEvent, Scope, TimeZones
from services.analytics.handlers.ingest import Parsed, ingest
from services.analytics.handlers.reports import active_members_on, active_members_read, overview

FIRST = date(2025, 6, 1)
STORES = ("S1", "S2", "S3", "")
CHANNELS = ("pos", "app", "")


class Utc(TimeZones):
    async def time_zone(self, tenant_id: str) -> str:
        return "UTC"


@pytest.fixture
async def store(mongo_url: str) -> AsyncIterator[tuple[MongoClient, Database]]:
    client = make_client(mongo_url, app_name="analytics-active-tests")
    db = client[f"analytics_{uuid4().hex[:8]}"]
    await ensure_indexes(db)
    yield client, db
    await client.close()


def at(offset: int) -> datetime:
    day = FIRST + timedelta(days=offset)
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


class Stream:
    """Events of one tenant, each its own id, in the order they are given."""

    def __init__(self, tenant: str) -> None:
        self.tenant = tenant
        self.sent: list[Parsed] = []

    def event(self, fact: Fact) -> Parsed:
        event_id = uuid4().hex
        logged = LoggedEvent(event_id, self.tenant, len(self.sent), "test", b"")
        parsed = (logged, Event(event_id, self.tenant, (fact,)))
        self.sent.append(parsed)
        return parsed


def purchase(tenant: str, rng: random.Random, member: str, n: int) -> Purchased:
    return Purchased(
        tenant,
        member,
        at(rng.randrange(500)),
        f"o{n}",
        rng.choice(CHANNELS),
        rng.choice(STORES),
        "member",
        Decimal("10.00"),
    )


async def test_the_maintained_active_members_equal_reading_every_members_last_purchase(
    store: tuple[MongoClient, Database],
) -> None:
    client, db = store
    uow, zones, tenant = MongoUnitOfWork(client, db), Utc(), random_name()
    rng = random.Random(16)
    stream = Stream(tenant)
    members = [f"m{i}" for i in range(30)]
    # purchases in no order of their days: most arrive after later ones
    first = [stream.event(purchase(tenant, rng, rng.choice(members), n)) for n in range(120)]
    merges = [
        stream.event(Merged(tenant, "m1", at(300), "m2")),
        stream.event(Merged(tenant, "m3", at(310), "m1")),  # m1, holding m2's, into m3
        stream.event(Merged(tenant, "m4", at(320), "m5")),
    ]
    later = [stream.event(purchase(tenant, rng, rng.choice(members), 200 + n)) for n in range(40)]
    late = [
        stream.event(purchase(tenant, rng, "m2", 300)),  # m2 → m1 → m3: counts nowhere
        stream.event(purchase(tenant, rng, "m5", 301)),  # the survivor's, m4
        stream.event(Returned(tenant, "m6", at(400), "o7", "pos", "S1", 10, Decimal("10.00"))),
        stream.event(Erased(tenant, "m7", at(410))),
    ]
    for batch in (first[:50], first[50:], merges + later[:20], later[20:] + late, first[:30]):
        await ingest(batch, uow, zones)

    reports = MongoReports(db)
    scopes = [
        Scope(tenant, "", ""),
        Scope(tenant, "", "", store_ids=("S1",)),
        Scope(tenant, "", "", channel="app"),
        Scope(tenant, "", "", store_ids=("S2",), channel="pos"),
        Scope(tenant, "", "", store_ids=("S1", "S2")),
        Scope(tenant, "", "", store_ids=("S1", "S2", "S3")),
        Scope(tenant, "", "", store_ids=("S2", "S3"), channel="pos"),
        Scope(tenant, "", "", store_ids=("S1", "S9")),
    ]
    seen = 0
    for offset in range(-5, 900, 23):
        day = (FIRST + timedelta(days=offset)).isoformat()
        for scope in scopes:
            on = Scope(tenant, day, day, scope.store_ids, scope.channel)
            maintained = await active_members_on(on, reports)
            assert maintained == await active_members_read(on, reports), (day, scope)
            seen += sum(maintained.values())
    assert seen > 500  # the days and scopes held members, not only zeros
    year_end = Scope(tenant, "2026-06-01", "2026-06-30")
    answer = await overview(year_end, reports)
    assert answer.active == await active_members_read(year_end, reports)
    several = Scope(tenant, "2026-06-01", "2026-06-30", store_ids=("S1", "S3"))
    assert (await overview(several, reports)).active == await active_members_read(several, reports)
