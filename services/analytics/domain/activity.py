"""Active members, maintained as purchases are ingested: pure arithmetic, unit-tested.

A member is active for a window of n days ending with day T when it bought on a day p with
T - n < p <= T, that is when T falls in one of the intervals [p, p + n) of its purchase
days. The union of those intervals is kept as differences: +1 on the first day of each run
of overlapping intervals and -1 on the day after it ends, so the members active on T are
the sum of every member's differences on the days up to T. A change to a member's
purchase days (a purchase, late or in order, or a merge taking another member's days)
adds the new schedule's differences less the old one's; a purchase on a day the member
had bought already changes nothing, so a second order that day counts once. A merged
member counts for nothing (its days are its survivor's).

It is kept per place: everywhere, at each store, on each channel and at each store on
each channel (a member who bought at a store by two channels is one member there), each
a counter `<window>|<place>`. Counts at two stores do not add up (a member active at both
is one member), so a scope of several stores cannot be read from them.

So that a read is a few dozen documents whatever the history's length, every difference
is counted three times: on its day, on its month's first day and on its year's first day.
The sum up to T is then the years before T's year, the months of T's year before T's
month and the days of T's month up to T.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

ACTIVE_WINDOWS = (30, 90, 365)
EVERYWHERE = "*"
DAY, MONTH, YEAR = "day", "month", "year"
LEVELS = (DAY, MONTH, YEAR)
# Characters a counter's name cannot hold as is: it is a field of the bucket's counts.
_ESCAPED = {"%": "%25", ".": "%2E", "$": "%24", "|": "%7C", ":": "%3A"}


@dataclass(frozen=True)
class Buy:
    """A day a member bought, where: the member document's `buys` entry."""

    day: str
    store_id: str = ""
    channel: str = ""


Buys = frozenset[Buy]
# A member whose purchase days change: its days before and after; None when it does not
# count (merged away), before or after.
Change = tuple[Buys | None, Buys | None]
# day -> counter -> difference
Differences = dict[str, dict[str, int]]


def _escape(value: str) -> str:
    return "".join(_ESCAPED.get(ch, ch) for ch in value)


@lru_cache(maxsize=4096)
def place(store_id: str = "", channel: str = "") -> str:
    """Where a count is kept: everywhere, at a store, on a channel or both."""
    if store_id and channel:
        return f"sc:{_escape(store_id)}:{_escape(channel)}"
    if store_id:
        return f"s:{_escape(store_id)}"
    if channel:
        return f"c:{_escape(channel)}"
    return EVERYWHERE


def counter(window: int, where: str) -> str:
    return f"{window}|{where}"


def places_of(buy: Buy) -> list[str]:
    """Every place a purchase counts in (an empty store or channel is none)."""
    found = [EVERYWHERE]
    if buy.store_id:
        found.append(place(buy.store_id))
    if buy.channel:
        found.append(place(channel=buy.channel))
    if buy.store_id and buy.channel:
        found.append(place(buy.store_id, buy.channel))
    return found


def schedule(days: Iterable[str], window: int) -> dict[str, int]:
    """The differences of one member's activity: +1 where a run of overlapping
    [day, day + window) intervals starts, -1 the day after it ends."""
    ordinals = {date.fromisoformat(day).toordinal() for day in days}
    return {date.fromordinal(day).isoformat(): n for day, n in _runs(ordinals, window).items()}


def _runs(days: Iterable[int], window: int) -> dict[int, int]:
    """`schedule` over days as ordinals."""
    runs: list[tuple[int, int]] = []
    for day in sorted(days):
        if runs and day <= runs[-1][1]:
            runs[-1] = (runs[-1][0], day + window)
        else:
            runs.append((day, day + window))
    diffs: dict[int, int] = {}
    for start, end in runs:  # runs neither touch nor overlap: every day is another
        diffs[start] = 1
        diffs[end] = -1
    return diffs


def _days_by_place(buys: Buys | None) -> dict[str, set[int]]:
    found: dict[str, set[int]] = defaultdict(set)
    for buy in buys or ():
        day = date.fromisoformat(buy.day).toordinal()
        for where in places_of(buy):
            found[where].add(day)
    return found


def _near(days: set[int], changed: set[int], window: int) -> list[int]:
    """The days that decide the schedule where `changed` days change it. Adding or taking
    away a day c changes whether the member is active only on the days [c, c + window),
    and whether it is active on one of those depends only on its days in the window
    before it, so the days further than a window from every changed one cancel out of
    the difference."""
    after, before = min(changed) - window, max(changed) + window
    return [day for day in days if after < day < before]


def differences(changes: Iterable[Change], windows: Sequence[int] = ACTIVE_WINDOWS) -> Differences:
    """What the members' changes add to the differences, by day and counter; nothing for
    a change that leaves a place's days as they were."""
    found: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for before, after in changes:
        old, new = _days_by_place(before), _days_by_place(after)
        for where in old.keys() | new.keys():
            was, now = old.get(where, set()), new.get(where, set())
            changed = was ^ now
            if not changed:
                continue
            for window in windows:
                name = counter(window, where)
                for day, n in _runs(_near(now, changed, window), window).items():
                    found[day][name] += n
                for day, n in _runs(_near(was, changed, window), window).items():
                    found[day][name] -= n
    return {
        date.fromordinal(day).isoformat(): {name: n for name, n in sorted(counts.items()) if n}
        for day, counts in sorted(found.items())
        if any(counts.values())
    }


def month_of(day: str) -> str:
    return f"{day[:7]}-01"


def year_of(day: str) -> str:
    return f"{day[:4]}-01-01"


def rolled(diffs: Differences) -> dict[str, Differences]:
    """The differences on their days, months (the first day of each) and years (their
    first day): each level sums to the same totals."""
    levels: dict[str, Differences] = {DAY: diffs}
    for level, first_day in ((MONTH, month_of), (YEAR, year_of)):
        summed: Differences = defaultdict(lambda: defaultdict(int))
        for day, counts in diffs.items():
            for name, n in counts.items():
                summed[first_day(day)][name] += n
        levels[level] = {
            day: {name: n for name, n in counts.items() if n}
            for day, counts in summed.items()
            if any(counts.values())
        }
    return levels


@dataclass(frozen=True)
class Span:
    """Days of one level to sum (both included)."""

    level: str
    from_day: str
    to_day: str


def spans(to_day: str, first_day: str = "0001-01-01") -> list[Span]:
    """What to sum for the members active on `to_day`: the years before its year, the
    months of its year before its month, the days of its month up to it (a level with
    nothing to sum left out)."""
    year, month = year_of(to_day), month_of(to_day)
    before = (date.fromisoformat(year) - timedelta(days=1)).isoformat()
    found = [Span(YEAR, first_day, before)] if year > first_day else []
    if month > year:
        found.append(Span(MONTH, year, (date.fromisoformat(month) - timedelta(days=1)).isoformat()))
    found.append(Span(DAY, month, to_day))
    return found


def active_from(sums: Mapping[str, int], where: str, windows: Sequence[int]) -> dict[int, int]:
    """Members active in each window at `where`, from the counters summed over `spans`."""
    return {window: sums.get(counter(window, where), 0) for window in windows}
