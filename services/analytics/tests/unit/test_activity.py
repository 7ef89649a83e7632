"""Active members as maintained differences: each purchase, late or in order, and each
merge changes them so that their sum up to a day counts the members who bought in each
window ending that day, as reading every member's last purchase counts them."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from itertools import permutations

from services.analytics.domain.activity import (
    ACTIVE_WINDOWS,
    DAY,
    EVERYWHERE,
    MONTH,
    YEAR,
    Buy,
    Buys,
    Change,
    Differences,
    Span,
    active_from,
    counter,
    differences,
    place,
    places_of,
    rolled,
    schedule,
    spans,
)

NOTHING: Buys = frozenset()


def shifted(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def added(into: Differences, diffs: Differences) -> Differences:
    total: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for source in (into, diffs):
        for day, counts in source.items():
            for name, n in counts.items():
                total[day][name] += n
    return {
        day: {name: n for name, n in counts.items() if n}
        for day, counts in total.items()
        if any(counts.values())
    }


def buying(*buys: Buy) -> Differences:
    """The differences of one member making these purchases one after the other."""
    total: Differences = {}
    held: Buys = NOTHING
    for buy in buys:
        total = added(total, differences([(held, held | {buy})]))
        held = held | {buy}
    return total


def active_on(diffs: Differences, day: str, where: str = EVERYWHERE) -> dict[int, int]:
    sums: dict[str, int] = defaultdict(int)
    for on, counts in diffs.items():
        if on <= day:
            for name, n in counts.items():
                sums[name] += n
    return active_from(sums, where, ACTIVE_WINDOWS)


def read_on(members: list[Buys], day: str, where: str = EVERYWHERE) -> dict[int, int]:
    """What reading every member's last purchase up to the day counts."""
    counts = {}
    for window in ACTIVE_WINDOWS:
        start = shifted(day, -window)
        counts[window] = sum(
            1
            for buys in members
            if any(start < b.day <= day and where in places_of(b) for b in buys)
        )
    return counts


def test_one_purchase_counts_from_its_day_for_each_window() -> None:
    diffs = buying(Buy("2026-03-01", "S1", "pos"))

    assert schedule(["2026-03-01"], 30) == {"2026-03-01": 1, "2026-03-31": -1}
    assert active_on(diffs, "2026-02-28") == {30: 0, 90: 0, 365: 0}
    assert active_on(diffs, "2026-03-30") == {30: 1, 90: 1, 365: 1}
    assert active_on(diffs, "2026-03-31") == {30: 0, 90: 1, 365: 1}
    assert active_on(diffs, "2027-03-01") == {30: 0, 90: 0, 365: 0}


def test_a_purchase_in_order_adds_one_on_the_later_of_its_day_and_the_previous_end() -> None:
    first, second = Buy("2026-03-01"), Buy("2026-03-11")
    later = differences([(frozenset({first}), frozenset({first, second}))], (30,))

    # the previous -1 on 31 March moves to 10 April: +1 on 31 March, -1 on 10 April
    assert later == {"2026-03-31": {"30|*": 1}, "2026-04-10": {"30|*": -1}}
    far = Buy("2026-05-01")
    apart = differences([(frozenset({first}), frozenset({first, far}))], (30,))
    assert apart == {"2026-05-01": {"30|*": 1}, "2026-05-31": {"30|*": -1}}


def test_purchases_arriving_in_any_order_give_the_same_differences() -> None:
    buys = [Buy("2026-01-05", "S1", "pos"), Buy("2026-02-20", "S2", "app"), Buy("2026-01-20")]
    expected = differences([(NOTHING, frozenset(buys))])

    for order in permutations(buys):
        assert buying(*order) == expected


def test_a_second_purchase_on_a_day_already_counted_changes_nothing() -> None:
    bought = frozenset({Buy("2026-03-01", "S1", "pos")})

    assert differences([(bought, bought | {Buy("2026-03-01", "S1", "pos")})]) == {}


def test_a_purchase_counts_everywhere_at_its_store_on_its_channel_and_both() -> None:
    diffs = buying(Buy("2026-03-01", "S1", "pos"))

    for where in (EVERYWHERE, place("S1"), place(channel="pos"), place("S1", "pos")):
        assert active_on(diffs, "2026-03-01", where) == {30: 1, 90: 1, 365: 1}
    for where in (place("S2"), place(channel="app"), place("S1", "app")):
        assert active_on(diffs, "2026-03-01", where) == {30: 0, 90: 0, 365: 0}
    assert places_of(Buy("2026-03-01")) == [EVERYWHERE]


def test_a_member_who_bought_twice_in_a_window_counts_once() -> None:
    diffs = buying(Buy("2026-03-01", "S1", "pos"), Buy("2026-03-05", "S1", "app"))

    assert active_on(diffs, "2026-03-10") == {30: 1, 90: 1, 365: 1}
    assert active_on(diffs, "2026-03-10", place("S1")) == {30: 1, 90: 1, 365: 1}
    assert active_on(diffs, "2026-03-10", place(channel="app")) == {30: 1, 90: 1, 365: 1}


def test_a_merge_counts_the_survivor_once_with_both_members_days() -> None:
    kept = frozenset({Buy("2026-01-10", "S1", "pos")})
    gone = frozenset({Buy("2026-03-01", "S2", "pos")})
    before = added(buying(*kept), buying(*gone))

    after = added(before, differences([(gone, None), (kept, kept | gone)]))

    assert active_on(before, "2026-03-05") == {30: 1, 90: 2, 365: 2}
    assert active_on(after, "2026-03-05") == {30: 1, 90: 1, 365: 1}
    assert active_on(after, "2026-03-05", place("S2")) == {30: 1, 90: 1, 365: 1}
    assert after == differences([(NOTHING, kept | gone)])


def test_a_member_merged_away_counts_for_nothing() -> None:
    gone = frozenset({Buy("2026-03-01", "S2", "pos")})

    after = added(buying(*gone), differences([(gone, None)]))

    assert after == {}


def test_a_counter_name_holds_no_dot_dollar_or_separator_of_a_store_or_channel() -> None:
    name = counter(30, place("S.1$|x", "a:b%"))

    assert name == "30|sc:S%2E1%24%7Cx:a%3Ab%25"
    assert place("S.1") != place("S%2E1")


def test_each_level_sums_to_the_same_differences() -> None:
    diffs = buying(Buy("2026-03-01"), Buy("2026-12-20"))

    levels = rolled(diffs)

    # 30 days: +1 on 1 March and -1 on 31 March cancel in March's total
    assert levels[MONTH]["2026-03-01"] == {"90|*": 1, "365|*": 1}
    assert levels[MONTH]["2026-05-01"] == {"90|*": -1}  # 30 May
    assert levels[YEAR]["2026-01-01"] == {"30|*": 1, "90|*": 1, "365|*": 1}
    assert levels[YEAR]["2027-01-01"] == {"30|*": -1, "90|*": -1, "365|*": -1}
    assert set(levels[DAY]) == set(diffs)


def test_a_day_is_read_from_the_years_before_the_months_before_and_its_own_month() -> None:
    assert spans("2026-03-15") == [
        Span(YEAR, "0001-01-01", "2025-12-31"),
        Span(MONTH, "2026-01-01", "2026-02-28"),
        Span(DAY, "2026-03-01", "2026-03-15"),
    ]
    assert spans("2026-01-31") == [
        Span(YEAR, "0001-01-01", "2025-12-31"),
        Span(DAY, "2026-01-01", "2026-01-31"),
    ]


def summed(levels: dict[str, Differences], day: str) -> dict[str, int]:
    sums: dict[str, int] = defaultdict(int)
    for span in spans(day):
        for on, counts in levels[span.level].items():
            if span.from_day <= on <= span.to_day:
                for name, n in counts.items():
                    sums[name] += n
    return sums


def test_many_members_changed_in_any_order_count_as_reading_every_member_does() -> None:
    rng = random.Random(16)
    stores, channels = ("", "S1", "S2"), ("", "pos", "app")
    first = date(2025, 6, 1)
    members: list[set[Buy]] = [set() for _ in range(40)]
    changes: list[Change] = []
    for _ in range(160):
        who = rng.randrange(len(members))
        day = (first + timedelta(days=rng.randrange(500))).isoformat()
        buy = Buy(day, rng.choice(stores), rng.choice(channels))
        changes.append((frozenset(members[who]), frozenset(members[who] | {buy})))
        members[who].add(buy)
    for gone, kept in ((3, 4), (5, 6), (6, 7)):  # 6 takes 5's days, then 7 takes 6's
        changes.append((frozenset(members[gone]), None))
        changes.append((frozenset(members[kept]), frozenset(members[kept] | members[gone])))
        members[kept] |= members[gone]
        members[gone] = set()
    diffs: Differences = {}
    for change in changes:
        diffs = added(diffs, differences([change]))
    levels = rolled(diffs)
    held = [frozenset(buys) for buys in members]

    for offset in range(0, 900, 7):
        day = (first + timedelta(days=offset)).isoformat()
        for where in (EVERYWHERE, place("S1"), place(channel="app"), place("S2", "pos")):
            expected = read_on(held, day, where)
            assert active_on(diffs, day, where) == expected, (day, where)
            assert active_from(summed(levels, day), where, ACTIVE_WINDOWS) == expected


def test_a_purchase_in_a_long_history_changes_what_the_whole_schedules_differ_by() -> None:
    start = date(2024, 1, 1)
    weekly = [(start + timedelta(days=7 * k)).isoformat() for k in range(100) if k % 13]
    held = frozenset(Buy(day) for day in weekly)
    for late in ("2024-03-24", "2024-03-26", "2023-06-01", "2026-01-01", weekly[40]):
        for window in ACTIVE_WINDOWS:
            whole: dict[str, int] = defaultdict(int, schedule([*weekly, late], window))
            for day, n in schedule(weekly, window).items():
                whole[day] -= n
            expected = {day: {counter(window, EVERYWHERE): n} for day, n in whole.items() if n}

            assert differences([(held, held | {Buy(late)})], (window,)) == expected
