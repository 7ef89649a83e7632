"""Budgets and per-member limits over real MongoDB, under concurrent orders."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, cast
from uuid import uuid4

import pytest

from libs.mongo import Database, MongoClient, make_client
from services.campaign.campaigns.adapters.reservations import (
    MongoReservations,
    ensure_reservation_indexes,
)
from services.campaign.campaigns.adapters.results import MongoResults
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.definitions import Definition
from services.campaign.campaigns.domain.lifecycle import draft, rules_of
from services.campaign.campaigns.domain.reservations import Hold
from services.campaign.campaigns.domain.rules import Conditions, Effect, EffectType, Limits

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
DEFINITION = Definition(
    "Double points",
    Trigger.PURCHASE,
    None,
    None,
    Conditions(),
    Effect(EffectType.MULTIPLIER, factor=Decimal(2)),
    limits=Limits(budget_points=1000),
)


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[Database]:
    client: MongoClient = make_client(mongo_url, app_name="campaign-tests")
    database = client[f"campaign_{uuid4().hex[:8]}"]
    await ensure_reservation_indexes(database)
    yield database
    await client.close()


async def test_concurrent_orders_use_a_small_budget_exactly_never_more(db: Database) -> None:
    reservations = MongoReservations(db)
    record = draft("c1", "t1", DEFINITION, NOW)
    campaign = rules_of(record)

    holds = await asyncio.gather(
        *(
            reservations.reserve("t1", f"o{i}", f"m{i}", campaign, points=299, now=NOW)
            for i in range(12)
        )
    )

    held = [h.points for h in holds if not h.refused]
    assert sum(held) == 1000
    assert sorted(held, reverse=True)[:3] == [299, 299, 299]
    assert all(h.refused == "budget_exhausted" for h in holds if not h.points)
    await asyncio.gather(*(reservations.settle("t1", h.hold_id, commit=True) for h in holds))
    results = await MongoResults(db).results(record)
    assert (results.points_granted, results.budget_left, results.points_reserved) == (1000, 0, 0)
    assert results.members_reached == len(held)


async def test_a_member_limit_of_3_holds_under_concurrent_orders(db: Database) -> None:
    reservations = MongoReservations(db)
    limited = replace(DEFINITION, limits=Limits(per_member=3))
    campaign = rules_of(draft("c2", "t1", limited, NOW))

    holds = await asyncio.gather(
        *(
            reservations.reserve("t1", f"o{i}", "m1", campaign, points=10, now=NOW)
            for i in range(10)
        )
    )

    assert sum(1 for h in holds if not h.refused) == 3
    assert {h.refused for h in holds if h.refused} == {"member_limit_reached"}


async def test_a_retried_order_holds_once(db: Database) -> None:
    reservations = MongoReservations(db)
    record = draft("c3", "t1", DEFINITION, NOW)
    campaign = rules_of(record)

    holds = await asyncio.gather(
        *(reservations.reserve("t1", "o1", "m1", campaign, points=299, now=NOW) for _ in range(5))
    )

    assert {h.points for h in holds} == {299}
    assert (await MongoResults(db).results(record)).budget_left == 701


async def test_a_released_or_expired_hold_gives_its_budget_and_slot_back_once(db: Database) -> None:
    reservations = MongoReservations(db, ttl=timedelta(minutes=1))
    record = draft("c4", "t1", replace(DEFINITION, limits=Limits(1000, 1)), NOW)
    campaign = rules_of(record)
    first = await reservations.reserve("t1", "o1", "m1", campaign, points=299, now=NOW)
    assert await reservations.settle("t1", first.hold_id, commit=False)
    assert not await reservations.settle("t1", first.hold_id, commit=True)
    assert (await MongoResults(db).results(record)).budget_left == 1000

    second = await reservations.reserve("t1", "o2", "m1", campaign, points=299, now=NOW)
    assert second.points == 299
    assert await reservations.sweep(NOW + timedelta(seconds=30)) == 0
    assert await reservations.sweep(NOW + timedelta(minutes=2)) == 1
    assert (await MongoResults(db).results(record)).budget_left == 1000
    third = await reservations.reserve("t1", "o3", "m1", campaign, points=299, now=NOW)
    assert third.points == 299


async def test_another_tenant_cannot_settle_a_hold(db: Database) -> None:
    reservations = MongoReservations(db)
    campaign = rules_of(draft("c5", "t1", DEFINITION, NOW))
    hold = await reservations.reserve("t1", "o1", "m1", campaign, points=10, now=NOW)
    assert not await reservations.settle("t2", hold.hold_id, commit=False)


async def test_a_released_hold_asked_for_again_holds_anew_and_a_committed_one_says_so(
    db: Database,
) -> None:
    reservations = MongoReservations(db)
    campaign = rules_of(draft("c1", "t1", replace(DEFINITION, limits=Limits(300, 1)), NOW))
    first = await reservations.reserve("t1", "evt-1", "m1", campaign, points=200, now=NOW)
    await reservations.settle("t1", first.hold_id, commit=False)

    again = await reservations.reserve("t1", "evt-1", "m1", campaign, points=200, now=NOW)
    other = await reservations.reserve("t1", "evt-2", "m2", campaign, points=200, now=NOW)
    await reservations.settle("t1", again.hold_id, commit=True)
    replayed = await reservations.reserve("t1", "evt-1", "m1", campaign, points=200, now=NOW)

    assert (again.points, again.replayed, other.points) == (200, False, 100)
    assert (replayed.replayed, replayed.committed) == (True, True)
    counter = await db["campaign_counters"].find_one({"_id": "c1"}) or {}
    assert (counter["used"], counter["granted"]) == (300, 200)


async def held_and_counted(
    db: Database, campaign_id: str
) -> tuple[tuple[int, int], tuple[int, int]]:
    """(used, reserved) as the campaign's counter says, and as its holds add up."""
    counter = await db["campaign_counters"].find_one({"_id": campaign_id}) or {}
    holds = await db["campaign_reservations"].find({"campaign_id": campaign_id}).to_list()
    reserved = sum(h["points"] for h in holds if h["state"] == "reserved")
    committed = sum(h["points"] for h in holds if h["state"] == "committed")
    counted = (int(counter.get("used", 0)), int(counter.get("reserved", 0)))
    return counted, (reserved + committed, reserved)


class Interrupted(Exception):
    """The caller went away (a cancelled call, a crash) right after one database call."""


class InterruptingCollection:
    def __init__(self, collection: Any, after: Callable[[], None]) -> None:
        self._collection = collection
        self._after = after

    def __getattr__(self, name: str) -> Any:
        real = getattr(self._collection, name)
        if name not in ("find_one", "update_one", "replace_one", "find_one_and_update"):
            return real

        async def call(*args: Any, **kwargs: Any) -> Any:
            answer = await real(*args, **kwargs)
            self._after()
            return answer

        return call


class InterruptingDatabase:
    """The database, but the `at`-th call made through it is the last: it completes, and
    then its caller is interrupted, as a cancellation or a crash would."""

    def __init__(self, db: Database, at: int) -> None:
        self._db = db
        self._at = at
        self.calls = 0
        self.client = db.client

    def _count(self) -> None:
        self.calls += 1
        if self.calls == self._at:
            raise Interrupted

    def __getitem__(self, name: str) -> InterruptingCollection:
        return InterruptingCollection(self._db[name], self._count)


async def test_a_hold_interrupted_after_any_database_call_takes_all_of_its_budget_or_none(
    db: Database,
) -> None:
    record = draft("c6", "t1", replace(DEFINITION, limits=Limits(1000, 1)), NOW)
    campaign = rules_of(record)

    for at in range(1, 8):
        interrupting = InterruptingDatabase(db, at)
        reservations = MongoReservations(cast(Database, interrupting))
        with contextlib.suppress(Interrupted):
            await reservations.reserve("t1", f"o{at}", f"m{at}", campaign, points=10, now=NOW)

        counted, added_up = await held_and_counted(db, "c6")
        slots = await db["campaign_member_grants"].find({"campaign_id": "c6"}).to_list()
        holds = await db["campaign_reservations"].count_documents({"campaign_id": "c6"})
        assert counted == added_up, at
        assert sum(s.get("count", 0) for s in slots) == holds, at


async def test_a_released_hold_and_its_budget_go_back_together(db: Database) -> None:
    reservations = MongoReservations(db)
    record = draft("c7", "t1", DEFINITION, NOW)
    campaign = rules_of(record)
    holds = [
        await reservations.reserve("t1", f"o{i}", f"m{i}", campaign, points=100, now=NOW)
        for i in range(10)
    ]

    outcomes = await asyncio.gather(
        *(reservations.settle("t1", h.hold_id, commit=i % 2 == 0) for i, h in enumerate(holds)),
        *(reservations.settle("t1", h.hold_id, commit=False) for h in holds),
    )

    assert sum(outcomes) == 10  # each hold moved once, whichever came first
    counted, added_up = await held_and_counted(db, "c7")
    assert counted == added_up
    results = await MongoResults(db).results(record)
    assert results.budget_left is not None
    assert results.points_granted + results.budget_left == 1000


async def test_a_committed_hold_counts_on_its_orders_day_and_its_member_on_the_earliest_one(
    db: Database,
) -> None:
    reservations = MongoReservations(db)
    campaign_id, tenant_id = f"c-{uuid4().hex[:8]}", f"t-{uuid4().hex[:8]}"
    m1, m2, m3 = (f"m-{uuid4().hex[:8]}" for _ in range(3))
    record = draft(campaign_id, tenant_id, replace(DEFINITION, limits=Limits(per_member=5)), NOW)
    campaign = rules_of(record)

    async def hold(order_id: str, member_id: str, points: int, day: str = "") -> Hold:
        return await reservations.reserve(
            tenant_id, order_id, member_id, campaign, points=points, now=NOW, day=day
        )

    later = await hold("o2", m1, 40, "2026-11-25")
    first = await hold("o1", m1, 100, "2026-11-24")
    other = await hold("o3", m2, 7)
    released = await hold("o4", m3, 9, "2026-11-25")

    for held in (later, first, other):  # m1's later order is confirmed first
        assert await reservations.settle(tenant_id, held.hold_id, commit=True)
    assert await reservations.settle(tenant_id, released.hold_id, commit=False)
    await reservations.settle(tenant_id, first.hold_id, commit=True)  # again: counts nothing

    days = await MongoResults(db).days(tenant_id, campaign_id)
    totals = await MongoResults(db).results(record)
    assert {day: (c.granted, c.grants, c.members) for day, c in days.items()} == {
        "2026-11-24": (100, 1, 1),
        "2026-11-25": (47, 2, 1),  # o2 (m1 again) and o3 (no day given: NOW's UTC date)
    }
    assert sum(c.granted for c in days.values()) == totals.points_granted == 147
    assert sum(c.members for c in days.values()) == totals.members_reached == 2
