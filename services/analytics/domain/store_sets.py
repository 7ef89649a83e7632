"""Members active at any of several stores, maintained as purchases are ingested: pure
arithmetic, unit-tested.

Counts at two stores do not add up (a member active at both is one member), so the
counters of domain/activity.py cannot answer a store manager's scope of several stores.
Instead, for each window of n days and each channel (and any channel), every member is
on day T in exactly one **set of stores**: the stores where it bought (by that channel)
on a day p with T - n < p <= T, empty when none. The members active at any store of a
scope S on T are then the members whose set on T meets S, and the members in each set
are kept as differences, like activity's: where a member's set changes from X to Y on
day T, -1 for X and +1 for Y on T (nothing for the empty set). Summing the differences
up to T gives the members in each set on T; a read sums them by set (a few dozen
documents, `spans`) and adds up the sets that meet the scope's stores.

Why sets and not inclusion-exclusion: the size of a union from counts kept for every subset of
stores a member is active at together needs 2^k - 1 counters per member active at k
stores at once, and a read summing 2^|S| - 1 of them; a member's set is one counter a
day, whatever its stores, and changes at most twice per purchase day (when the
purchase adds a store, when a store's last purchase leaves the window). What grows is
the number of distinct sets members have (rows of the documents), not the reads'
documents.

A change to a member's purchase days (a purchase, late or in order, a merge taking
another member's days, a merged member leaving) adds the new schedule's differences less
the old one's, computed only over the days within a window of the changed ones (the
others cancel out, as in activity's `_near`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from urllib.parse import quote, unquote

from services.analytics.domain.activity import (
    ACTIVE_WINDOWS,
    DAY,
    MONTH,
    YEAR,
    Buy,
    Change,
    month_of,
    year_of,
)

ANY_CHANNEL = ""
SEPARATOR = ","  # between a set's store ids, each percent-escaped (so none holds it)

# (channel, stores) -> counter ("w<window>") -> difference
SetCounts = dict[tuple[str, str], dict[str, int]]
# day -> (channel, stores) -> counter -> difference
SetDifferences = dict[str, SetCounts]


def counter_of(window: int) -> str:
    return f"w{window}"


@lru_cache(maxsize=4096)
def stores_key(stores: frozenset[str]) -> str:
    """A set of store ids as one text: sorted, escaped, separated."""
    return SEPARATOR.join(sorted(quote(store, safe="") for store in stores))


def stores_of(key: str) -> frozenset[str]:
    return frozenset(unquote(part) for part in key.split(SEPARATOR)) if key else frozenset()


@lru_cache(maxsize=65536)
def _ordinal(day: str) -> int:
    return date.fromisoformat(day).toordinal()


def _pairs(buys: Iterable[Buy], channel: str) -> set[tuple[int, str]]:
    """(day as an ordinal, store) of the purchases at a store (by `channel`, or any)."""
    return {
        (_ordinal(buy.day), buy.store_id)
        for buy in buys
        if buy.store_id and channel in (ANY_CHANNEL, buy.channel)
    }


def set_schedule(pairs: Iterable[tuple[int, str]], window: int) -> dict[int, dict[str, int]]:
    """The differences of one member's set of stores for a window: on each day its set
    changes, -1 for the set it leaves and +1 for the one it joins (none for the empty
    set), by the set's key."""
    bought = sorted(pairs)
    changes = sorted({day for day, _ in bought} | {day + window for day, _ in bought})
    latest: dict[str, int] = {}
    found: dict[int, dict[str, int]] = {}
    was: frozenset[str] = frozenset()
    at = 0
    for day in changes:
        while at < len(bought) and bought[at][0] <= day:
            latest[bought[at][1]] = bought[at][0]
            at += 1
        now = frozenset(store for store, last in latest.items() if last > day - window)
        if now == was:
            continue
        diffs = found.setdefault(day, {})
        if was:
            diffs[stores_key(was)] = diffs.get(stores_key(was), 0) - 1
        if now:
            diffs[stores_key(now)] = diffs.get(stores_key(now), 0) + 1
        was = now
    return found


def _near(
    pairs: set[tuple[int, str]], changed: set[tuple[int, str]], window: int
) -> list[tuple[int, str]]:
    """The purchases that decide the sets where the `changed` ones change them: a set on
    day T depends only on the purchases of (T - window, T], so outside the days from the
    first changed purchase to a window after the last the old and new sets are the same,
    and the purchases further than a window from every changed one cancel out."""
    days = [day for day, _ in changed]
    after, before = min(days) - window, max(days) + window
    return [pair for pair in pairs if after < pair[0] < before]


def set_differences(
    changes: Iterable[Change], windows: Sequence[int] = ACTIVE_WINDOWS
) -> SetDifferences:
    """What the members' changes add to the members in each set of stores, by day, by
    channel (ANY_CHANNEL too) and set, and window; nothing for a change that leaves a
    member's purchases at stores as they were."""
    found: dict[int, dict[tuple[str, str], dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for before, after in changes:
        old, new = before or frozenset(), after or frozenset()
        moved = [buy for buy in old ^ new if buy.store_id]
        if not moved:
            continue
        at_stores = [buy for buy in old | new if buy.store_id]
        for channel in sorted({ANY_CHANNEL} | {buy.channel for buy in moved}):
            was = _pairs((buy for buy in at_stores if buy in old), channel)
            now = _pairs((buy for buy in at_stores if buy in new), channel)
            changed = was ^ now
            if not changed:
                continue
            for window in windows:
                name = counter_of(window)
                for sign, pairs in ((1, now), (-1, was)):
                    near = _near(pairs, changed, window)
                    for day, diffs in set_schedule(near, window).items():
                        for key, n in diffs.items():
                            found[day][(channel, key)][name] += sign * n
    return {
        date.fromordinal(day).isoformat(): kept
        for day, sets in sorted(found.items())
        if (
            kept := {
                where: {name: n for name, n in sorted(counts.items()) if n}
                for where, counts in sorted(sets.items())
                if any(counts.values())
            }
        )
    }


def rolled_sets(diffs: SetDifferences) -> dict[str, SetDifferences]:
    """The differences on their days, months (the first day of each) and years (their
    first day), as activity's `rolled`: each level sums to the same totals."""
    levels: dict[str, SetDifferences] = {DAY: diffs}
    for level, first_day in ((MONTH, month_of), (YEAR, year_of)):
        summed: dict[str, dict[tuple[str, str], dict[str, int]]] = defaultdict(
            lambda: defaultdict(lambda: defaultdict(int))
        )
        for day, sets in diffs.items():
            for where, counts in sets.items():
                for name, n in counts.items():
                    summed[first_day(day)][where][name] += n
        levels[level] = {
            day: kept
            for day, sets in summed.items()
            if (
                kept := {
                    where: {name: n for name, n in counts.items() if n}
                    for where, counts in sets.items()
                    if any(counts.values())
                }
            )
        }
    return levels


def active_at_any(
    sums: Mapping[tuple[str, str], Mapping[str, int]],
    store_ids: Iterable[str],
    channel: str,
    windows: Sequence[int] = ACTIVE_WINDOWS,
) -> dict[int, int]:
    """Members active in each window at any of `store_ids` (by `channel`, or any), from
    the members in each set summed up to the day: the sets that meet the stores."""
    wanted = frozenset(store_ids)
    totals = dict.fromkeys(windows, 0)
    for (where, key), counts in sums.items():
        if where != channel or not wanted & stores_of(key):
            continue
        for window in windows:
            totals[window] += int(counts.get(counter_of(window), 0))
    return totals
