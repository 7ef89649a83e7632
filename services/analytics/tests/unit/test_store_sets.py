"""Members active at any of several stores, kept as the members in each set of stores:
each purchase, late or in order, and each merge changes the sets' differences so that
their sum up to a day, the sets meeting a scope's stores added up, counts the members who
bought at one of those stores (by the scope's channel) in each window ending that day."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from services.analytics.domain.activity import ACTIVE_WINDOWS, DAY, MONTH, YEAR, Buy, Buys, Change
from services.analytics.domain.store_sets import (
    ANY_CHANNEL,
    SetDifferences,
    active_at_any,
    rolled_sets,
    set_differences,
    set_schedule,
    stores_key,
    stores_of,
)

FIRST = date(2025, 1, 1)
STORES = ("S1", "S2", "S3", "", "a,b%c")
CHANNELS = ("pos", "app", "")


def day_of(offset: int) -> str:
    return (FIRST + timedelta(days=offset)).isoformat()


def added(into: SetDifferences, diffs: SetDifferences) -> SetDifferences:
    total: dict[str, dict[tuple[str, str], dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for source in (into, diffs):
        for day, sets in source.items():
            for where, counts in sets.items():
                for name, n in counts.items():
                    total[day][where][name] += n
    return {day: {w: dict(c) for w, c in sets.items()} for day, sets in total.items()}


def summed_to(diffs: SetDifferences, day: str) -> dict[tuple[str, str], dict[str, int]]:
    sums: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for on, sets in diffs.items():
        if on <= day:
            for where, counts in sets.items():
                for name, n in counts.items():
                    sums[where][name] += n
    return {
        where: {name: n for name, n in counts.items() if n}
        for where, counts in sums.items()
        if any(counts.values())
    }


def plainly(members: list[Buys], stores: set[str], channel: str, day: str) -> dict[int, int]:
    """Members who bought at one of `stores` (by `channel`, or any) in each window ending
    with `day`, from their purchases."""
    on = date.fromisoformat(day)
    found = {}
    for window in ACTIVE_WINDOWS:
        start = on - timedelta(days=window)
        found[window] = sum(
            1
            for buys in members
            if any(
                buy.store_id in stores
                and channel in (ANY_CHANNEL, buy.channel)
                and start < date.fromisoformat(buy.day) <= on
                for buy in buys
            )
        )
    return found


def a_purchase(rng: random.Random) -> Buy:
    return Buy(day_of(rng.randrange(700)), rng.choice(STORES), rng.choice(CHANNELS))


def test_a_set_of_stores_reads_back_as_the_same_stores_whatever_they_hold() -> None:
    stores = {"S1", "a,b%c", "x y", "é"}
    assert stores_of(stores_key(frozenset(stores))) == stores
    assert stores_of(stores_key(frozenset())) == frozenset()


def test_one_members_set_grows_with_a_store_and_shrinks_as_its_window_passes() -> None:
    # bought at S1 on day 0 and at S2 on day 10, window 30
    schedule = set_schedule([(0, "S1"), (10, "S2")], 30)
    assert schedule == {
        0: {"S1": 1},
        10: {"S1": -1, "S1,S2": 1},
        30: {"S1,S2": -1, "S2": 1},
        40: {"S2": -1},
    }


def test_purchases_in_any_order_keep_the_sets_counting_who_bought_at_any_of_the_stores() -> None:
    rng = random.Random(7)
    members: list[Buys] = [frozenset() for _ in range(25)]
    total: SetDifferences = {}
    for _ in range(200):  # purchases in no order of their days
        who = rng.randrange(len(members))
        buy = a_purchase(rng)
        total = added(total, set_differences([(members[who], members[who] | {buy})]))
        members[who] = members[who] | {buy}
    scopes = [({"S1", "S2"}, ""), ({"S1", "S3", "a,b%c"}, "pos"), ({"S2", "S3"}, "app")]
    seen = 0
    for offset in range(-3, 800, 11):
        day = day_of(offset)
        sums = summed_to(total, day)
        for stores, channel in scopes:
            kept = active_at_any(sums, stores, channel)
            assert kept == plainly(members, stores, channel, day), (day, stores, channel)
            seen += sum(kept.values())
    assert seen > 300


def test_a_merge_moves_the_merged_members_purchases_to_the_survivor_once() -> None:
    rng = random.Random(11)
    gone = frozenset(a_purchase(rng) for _ in range(6))
    kept = frozenset(a_purchase(rng) for _ in range(6))
    before = added(set_differences([(frozenset(), gone)]), set_differences([(frozenset(), kept)]))
    merge: list[Change] = [(gone, None), (kept, kept | gone)]
    after = added(before, set_differences(merge))
    for offset in range(0, 760, 9):
        day = day_of(offset)
        for stores in ({"S1", "S2"}, {"S1", "S2", "S3", "a,b%c"}):
            assert active_at_any(summed_to(after, day), stores, "") == plainly(
                [kept | gone], stores, "", day
            )


def test_a_purchase_at_no_store_or_on_a_day_already_counted_there_changes_no_set() -> None:
    held = frozenset({Buy(day_of(3), "S1", "pos")})
    assert set_differences([(held, held | {Buy(day_of(5), "", "app")})]) == {}
    assert set_differences([(held, held | {Buy(day_of(3), "S1", "pos")})]) == {}


def test_the_months_and_years_of_the_differences_sum_to_what_their_days_sum_to() -> None:
    rng = random.Random(3)
    buys = frozenset(a_purchase(rng) for _ in range(12))
    levels = rolled_sets(set_differences([(frozenset(), buys)]))
    for level in (MONTH, YEAR):
        assert summed_to(levels[level], "9999-12-31") == summed_to(levels[DAY], "9999-12-31")
    assert all(day.endswith("-01") for day in levels[MONTH])
    assert all(day.endswith("-01-01") for day in levels[YEAR])
