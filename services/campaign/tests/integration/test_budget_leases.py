"""Budget leases over real MongoDB: spent in memory, counted from the orders' events, given
back by their owner or closed after a crash, the budget used exactly and never more."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from uuid import uuid4

from libs.mongo import Database
from services.campaign.campaigns.adapters.lease_store import LEASES
from services.campaign.campaigns.adapters.results import MongoResults
from services.campaign.campaigns.domain.daily import DayCounts
from services.campaign.campaigns.domain.lifecycle import rules_of
from services.campaign.tests.integration.lease_support import (
    GRACE,
    NOW,
    WINDOW,
    Clock,
    campaign_of,
    counted_and_added_up,
    credit,
    db,
    process,
)

__all__ = ["db"]  # the fixture


async def test_concurrent_orders_use_a_small_budget_exactly_and_never_more(db: Database) -> None:
    record, _ = campaign_of(budget=1000)
    budgets = process(db, Clock())

    holds = await asyncio.gather(
        *(budgets.reserve("t1", f"o{i}", rules_of(record), points=299, now=NOW) for i in range(8))
    )
    for hold in holds:
        if hold.points:
            await credit(db, hold)

    assert sorted((h.points for h in holds), reverse=True)[:4] == [299, 299, 299, 103]
    assert all(h.refused == "budget_exhausted" for h in holds if not h.points)
    results = await MongoResults(db).results(record)
    assert (results.points_granted, results.points_reserved, results.budget_left) == (1000, 0, 0)


async def test_concurrent_orders_past_one_lease_take_another_while_the_budget_lasts(
    db: Database,
) -> None:
    record, campaign_id = campaign_of(budget=1000)
    budgets = process(db, Clock())

    holds = await asyncio.gather(
        *(budgets.reserve("t1", f"o{i}", rules_of(record), points=10, now=NOW) for i in range(30))
    )

    assert [h.points for h in holds] == [10] * 30
    assert await db[LEASES].count_documents({"campaign_id": campaign_id}) == 2
    counted, added_up = await counted_and_added_up(db, campaign_id)
    assert counted == added_up


async def test_orders_are_answered_from_memory_with_one_lease_for_many_of_them(
    db: Database,
) -> None:
    record, campaign_id = campaign_of()
    budgets = process(db, Clock())

    holds = [
        await budgets.reserve("t1", f"o{i}", rules_of(record), points=10, now=NOW)
        for i in range(15)
    ]

    assert {h.hold_id for h in holds} == {holds[0].hold_id}
    assert await db[LEASES].count_documents({"campaign_id": campaign_id}) == 1
    counted, added_up = await counted_and_added_up(db, campaign_id)
    assert counted == added_up == (200, 200)


async def test_a_lease_in_use_is_renewed_before_its_window_ends_and_an_idle_one_is_not(
    db: Database,
) -> None:
    record, campaign_id = campaign_of()
    clock = Clock()
    budgets = process(db, clock)
    first = await budgets.reserve("t1", "o1", rules_of(record), points=10, now=NOW)
    clock.now = NOW + WINDOW * 0.6
    await budgets.reserve("t1", "o2", rules_of(record), points=10, now=clock.now)

    assert await budgets.sweep() == 1  # plenty left: spent from longer
    clock.now = NOW + WINDOW * 1.2  # past its first window
    extended = await budgets.reserve("t1", "o3", rules_of(record), points=150, now=clock.now)
    assert extended.hold_id == first.hold_id
    clock.now = NOW + WINDOW * 1.5
    assert await budgets.sweep() == 1  # 30 of 200 left: another one taken
    renewed = await budgets.reserve("t1", "o4", rules_of(record), points=10, now=clock.now)
    clock.now = NOW + WINDOW * 2.2
    assert await budgets.sweep() == 1  # idle since: retired, not renewed

    assert renewed.hold_id != first.hold_id
    leases = await db[LEASES].find({"campaign_id": campaign_id}).to_list()
    assert {d["_id"]: d["state"] for d in leases} == {
        first.hold_id: "retired",
        renewed.hold_id: "retired",
    }
    counted, added_up = await counted_and_added_up(db, campaign_id)
    assert counted == added_up == (180, 180)


async def test_a_retried_order_is_allotted_once(db: Database) -> None:
    record, _ = campaign_of()
    budgets = process(db, Clock())

    first = await budgets.reserve("t1", "o1", rules_of(record), points=10, now=NOW)
    again = await budgets.reserve("t1", "o1", rules_of(record), points=10, now=NOW)

    assert (again.hold_id, again.points, again.replayed) == (first.hold_id, 10, True)


async def test_a_retired_lease_gives_back_what_it_never_allotted_and_closing_the_rest(
    db: Database,
) -> None:
    record, campaign_id = campaign_of()
    clock = Clock()
    budgets = process(db, clock)
    holds = [
        await budgets.reserve("t1", f"o{i}", rules_of(record), points=10, now=NOW) for i in range(4)
    ]
    await credit(db, holds[0])  # o1-o3: cancelled, or their process lost their answer

    clock.now = NOW + WINDOW
    assert await budgets.sweep() == 1  # retired: 160 never allotted go back
    results = await MongoResults(db).results(record)
    assert (results.points_granted, results.points_reserved, results.budget_left) == (10, 30, 960)

    clock.now = NOW + WINDOW + GRACE + timedelta(seconds=1)
    assert await budgets.sweep() == 1  # closed: the 30 no event proved granted go back
    results = await MongoResults(db).results(record)
    assert (results.points_granted, results.points_reserved, results.budget_left) == (10, 0, 990)
    counted, added_up = await counted_and_added_up(db, campaign_id)
    assert counted == added_up


async def test_the_lease_of_a_killed_process_comes_back_after_its_grace_except_what_was_granted(
    db: Database,
) -> None:
    record, campaign_id = campaign_of()
    clock = Clock()
    killed = process(db, clock, owner="killed")
    holds = [
        await killed.reserve("t1", f"o{i}", rules_of(record), points=10, now=NOW) for i in range(3)
    ]
    del killed  # kill -9: nothing given back, nothing remembered
    for hold in holds[:2]:  # two of its orders committed; their events arrive
        await credit(db, hold, member_id=f"m{hold.points}")
    survivor = process(db, clock, owner="survivor")

    clock.now = NOW + WINDOW + GRACE - timedelta(seconds=1)
    assert await survivor.sweep() == 0
    assert (await MongoResults(db).results(record)).points_reserved == 180

    clock.now = NOW + WINDOW + GRACE + timedelta(seconds=1)
    assert await survivor.sweep() == 1
    results = await MongoResults(db).results(record)
    assert (results.points_granted, results.points_reserved, results.budget_left) == (20, 0, 980)
    counted, added_up = await counted_and_added_up(db, campaign_id)
    assert counted == added_up


async def test_an_event_later_than_the_close_counts_its_grant_and_takes_it_from_the_budget_again(
    db: Database,
) -> None:
    record, campaign_id = campaign_of()
    clock = Clock()
    budgets = process(db, clock)
    hold = await budgets.reserve("t1", "o1", rules_of(record), points=10, now=NOW)
    clock.now = NOW + WINDOW + GRACE + timedelta(seconds=1)
    await budgets.sweep()

    await credit(db, hold)

    results = await MongoResults(db).results(record)
    assert (results.points_granted, results.points_reserved, results.budget_left) == (10, 0, 990)
    counted, added_up = await counted_and_added_up(db, campaign_id)
    assert counted == added_up


async def test_an_order_credited_without_its_bonus_gives_its_allotment_back_once(
    db: Database,
) -> None:
    record, _ = campaign_of(budget=30)
    clock = Clock()
    budgets = process(db, clock)
    pending = await budgets.reserve("t1", "o1", rules_of(record), points=10, now=NOW)
    retired = await budgets.reserve("t1", "o2", rules_of(record), points=10, now=NOW)

    assert await budgets.refund("t1", "o1") == 10  # to the lease: o3 and o4 can have it
    assert await budgets.refund("t1", "o1") == 0
    assert (await budgets.reserve("t1", "o3", rules_of(record), points=10, now=NOW)).points == 10
    assert await budgets.release("t1", record.campaign_id)
    assert await budgets.refund("t1", "o2") == 10  # the lease is retired: to the budget

    results = await MongoResults(db).results(record)
    assert (pending.points, retired.points) == (10, 10)
    assert (results.points_reserved, results.budget_left) == (10, 20)


async def test_a_campaign_without_a_budget_counts_its_grants_and_holds_nothing(
    db: Database,
) -> None:
    record, _ = campaign_of(budget=None)
    budgets = process(db, Clock())

    holds = [
        await budgets.reserve("t1", f"o{i}", rules_of(record), points=500, now=NOW)
        for i in range(3)
    ]
    for i, hold in enumerate(holds):
        await credit(db, hold, member_id=f"m{i}")

    results = await MongoResults(db).results(record)
    assert (results.points_granted, results.grants, results.members_reached) == (1500, 3, 3)
    assert results.budget_left is None


async def test_a_lease_taken_while_its_order_is_cancelled_is_kept_whole_and_allots_it_nothing(
    db: Database,
) -> None:
    record, campaign_id = campaign_of()
    answered = 0
    for i in range(6):
        budgets = process(db, Clock(), owner=f"p{i}")
        reserve = budgets.reserve("t1", f"o{i}", rules_of(record), points=10, now=NOW)
        with contextlib.suppress(TimeoutError):
            answered += bool((await asyncio.wait_for(reserve, timeout=0.001 * i)).points)
        await asyncio.sleep(0.2)  # the shielded transaction finishes
        await budgets.retire_all()  # what was not allotted goes back

        counted, added_up = await counted_and_added_up(db, campaign_id)
        assert counted == added_up, i
        # Only an order that got its answer keeps an allotment (until its event or close).
        assert counted[1] == 10 * answered, i


async def test_two_processes_never_allot_more_than_the_budget_between_them(db: Database) -> None:
    record, _ = campaign_of(budget=250)
    clock = Clock()
    first, second = process(db, clock, "p1"), process(db, clock, "p2")

    holds = await asyncio.gather(
        *(
            (first if i % 2 else second).reserve(
                "t1", f"o{i}", rules_of(record), points=10, now=NOW
            )
            for i in range(40)
        )
    )

    assert sum(h.points for h in holds) <= 250
    await first.retire_all()
    await second.retire_all()
    for hold in holds:
        if hold.points:
            await credit(db, hold)
    results = await MongoResults(db).results(record)
    assert results.points_granted + results.points_reserved + (results.budget_left or 0) == 250
    assert results.points_reserved == 0


async def test_a_lease_grant_counts_on_its_orders_day_and_a_member_once_open_or_closed(
    db: Database,
) -> None:
    record, campaign_id = campaign_of(budget=1000)
    clock = Clock()
    budgets = process(db, clock)
    holds = [
        await budgets.reserve("t1", f"o{i}", rules_of(record), points=10, now=NOW) for i in range(3)
    ]
    m1, m2 = f"m{uuid4().hex[:6]}", f"m{uuid4().hex[:6]}"
    await credit(db, holds[0], m1, day="2026-11-24")
    await credit(db, holds[1], m1, day="2026-11-25")
    await credit(db, holds[2], m2, day="2026-11-25")
    expected = {"2026-11-24": (10, 1, 1), "2026-11-25": (20, 2, 1)}

    def by_day(days: dict[str, DayCounts]) -> dict[str, tuple[int, int, int]]:
        return {day: (c.granted, c.grants, c.members) for day, c in days.items()}

    open_days = await MongoResults(db).days("t1", campaign_id)
    clock.now = NOW + WINDOW + GRACE + timedelta(seconds=1)
    await budgets.sweep()
    closed_days = await MongoResults(db).days("t1", campaign_id)
    totals = await MongoResults(db).results(record)

    assert by_day(open_days) == expected
    assert by_day(closed_days) == expected
    assert sum(c.granted for c in closed_days.values()) == totals.points_granted
    assert sum(c.members for c in closed_days.values()) == totals.members_reached


async def test_grants_from_a_lease_count_each_member_reached_once_with_no_per_member_slot(
    db: Database,
) -> None:
    record, campaign_id = campaign_of(budget=None)
    budgets = process(db, Clock())

    for i, member_id in enumerate(["m1", "m2", "m1"]):
        hold = await budgets.reserve("t1", f"o{i}", rules_of(record), points=10, now=NOW)
        await credit(db, hold, member_id=member_id)

    results = await MongoResults(db).results(record)
    slots = await db["campaign_member_grants"].count_documents({"campaign_id": campaign_id})
    assert (results.grants, results.members_reached, slots) == (3, 2, 0)


async def test_counting_a_lease_grant_writes_the_lease_alone_and_its_close_moves_them_all_once(
    db: Database,
) -> None:
    record, campaign_id = campaign_of(budget=1000)
    clock = Clock()
    budgets = process(db, clock)
    holds = [
        await budgets.reserve("t1", f"o{i}", rules_of(record), points=10, now=NOW) for i in range(3)
    ]
    before = await db["campaign_counters"].find_one({"_id": campaign_id})
    for hold in holds:
        await credit(db, hold, member_id=f"m{hold.hold_id[-4:]}")
    unchanged = await db["campaign_counters"].find_one({"_id": campaign_id})
    open_results = await MongoResults(db).results(record)

    clock.now = NOW + WINDOW + GRACE + timedelta(seconds=1)
    await budgets.sweep()
    await budgets.sweep()

    closed_results = await MongoResults(db).results(record)
    counter = await db["campaign_counters"].find_one({"_id": campaign_id}) or {}
    assert unchanged == before
    assert (open_results.points_granted, open_results.grants) == (30, 3)
    assert (closed_results.points_granted, closed_results.grants) == (30, 3)
    assert (closed_results.points_reserved, closed_results.budget_left) == (0, 970)
    assert (counter["granted"], counter["grants"], counter["reserved"]) == (30, 3, 0)
