"""One campaign's comparison with its holdout day by day, for its results day by day: each
group's orders and net spend on each day of the window, and the uplift (Welch's interval,
`libs/uplift.py`) over the window's days up to that day's end, so the last day's is the
whole window's (`compare_kept`'s). Pure: the handler hands over the audience's groups and
the members' sums per day as the member pages keep them (each day's members who bought or
returned that day, their orders and net packed as `month_sums.packed`).

The interval needs each group's sum of each member's spend so far and of its square, day
after day. A member's spend so far changes only on its own spend days, so the moments are
moved there (`Moments.moved`: one member's before and after) in one pass over the
members' spend days, never members x days.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import compress, repeat
from operator import add, eq, mul, rshift, sub

from libs.uplift import Moments, Uplift, welch_from_moments
from services.analytics.domain.campaign_holdout import CampaignHoldout, GroupFigures
from services.analytics.domain.month_sums import ORDERS_MASK, SHIFT

MAX_DAYS = 366
"""The latest days of a window answered (the campaign service's own limit)."""

TARGETED, HELD_OUT = 0, 1


@dataclass(frozen=True)
class DayRows:
    """Members' sums on one day: their keys and each one's orders and net cents packed
    (`month_sums.packed`)."""

    day: str
    keys: Sequence[str]
    sums: Sequence[int]


@dataclass(frozen=True)
class EnrolledDays:
    """Every enrolled member (merged ones left out: in their survivor), and the members'
    sums on each day of a range, in day order."""

    members: list[str]
    rows: list[DayRows]


@dataclass(frozen=True)
class GroupDay:
    orders: int = 0
    cents: int = 0


@dataclass(frozen=True)
class HoldoutDay:
    day: str
    targeted: GroupDay
    held_out: GroupDay
    uplift: Uplift | None  # from the window's first day to this one's end


def window(from_day: str, to_day: str) -> list[str]:
    """Every day from `from_day` to `to_day` (none when the window has not begun)."""
    if to_day < from_day:
        return []
    first, last = date.fromisoformat(from_day), date.fromisoformat(to_day)
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def _moved(
    row: DayRows, groups: Mapping[str, int], spent: dict[str, int]
) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """A day's rows added to each member's spend so far (`spent`, changed): each group's
    orders, net cents and change of its sum of squares (`Moments.moved`, member by
    member) that day. Column by column, `map` and `compress` over the day's members
    rather than a Python statement a member."""
    keys, sums = row.keys, row.sums
    placed = list(map(groups.get, keys))
    nets = list(map(rshift, sums, repeat(SHIFT)))
    before = list(map(spent.get, keys, repeat(0)))
    after = list(map(add, before, nets))
    spent.update(zip(keys, after, strict=True))
    squared = list(map(sub, map(mul, after, after), map(mul, before, before)))
    found = []
    for group in (TARGETED, HELD_OUT):
        member = list(map(eq, placed, repeat(group)))
        both = sum(compress(sums, member))  # packed: orders in the low bits, net above
        found.append((both & ORDERS_MASK, both >> SHIFT, sum(compress(squared, member))))
    return found[0], found[1]


def holdout_days(
    days: tuple[str, str],
    groups: Mapping[str, int],
    sizes: tuple[int, int],
    rows: Iterable[DayRows],
) -> tuple[CampaignHoldout, list[HoldoutDay]]:
    """`groups`: the audience members whose sums count (`TARGETED` or `HELD_OUT`); `sizes`:
    each group's members, those who bought nothing included; `rows`: the members' sums per
    day of the window, in day order (other members' rows are passed over). The window's
    comparison, and its latest `MAX_DAYS` days."""
    every_day = window(*days)
    shown_from = every_day[-MAX_DAYS] if len(every_day) > MAX_DAYS else days[0]
    by_day: dict[str, list[DayRows]] = {}
    for row in rows:
        by_day.setdefault(row.day, []).append(row)
    spent: dict[str, int] = {}
    totals, squares, orders_so_far = [0, 0], [0, 0], [0, 0]
    answered: list[HoldoutDay] = []
    moments = [Moments(sizes[TARGETED]), Moments(sizes[HELD_OUT])]
    for day in every_day:
        orders, cents = [0, 0], [0, 0]
        for row in by_day.get(day, ()):
            for group, moved in enumerate(_moved(row, groups, spent)):
                orders[group] += moved[0]
                cents[group] += moved[1]
                squares[group] += moved[2]
        for group in (TARGETED, HELD_OUT):
            orders_so_far[group] += orders[group]
            totals[group] += cents[group]
            moments[group] = Moments(sizes[group], totals[group], squares[group])
        if day >= shown_from:
            answered.append(
                HoldoutDay(
                    day,
                    GroupDay(orders[TARGETED], cents[TARGETED]),
                    GroupDay(orders[HELD_OUT], cents[HELD_OUT]),
                    welch_from_moments(moments[TARGETED], moments[HELD_OUT]),
                )
            )
    targeted, out = moments
    whole = CampaignHoldout(
        days[0],
        days[1],
        GroupFigures(targeted.members, orders_so_far[TARGETED], targeted.total),
        GroupFigures(out.members, orders_so_far[HELD_OUT], out.total),
        welch_from_moments(targeted, out),
    )
    return whole, answered
