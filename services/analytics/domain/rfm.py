"""The RFM grid: members who bought in a range, placed by recency (days from their last
purchase to the range's last day), frequency (orders in the range) and monetary value
(what they spent in it, less what they brought back), each scored 1 to 5 by fixed
boundaries (libs/rfm_scores.py, shared with segments made of a cell); per cell the
members and their net sales. Pure: the adapter hands over each member's orders, gross and
returns per day (merged members' in their survivor's; merged members and those who
refused profiling left out)."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import repeat
from operator import add

from libs.rfm_scores import MONETARY_CENTS, frequency_score, recency_score


@dataclass(frozen=True)
class RfmMember:
    orders: Mapping[str, int]  # day -> orders
    gross: Mapping[str, int]  # day -> cents
    returned: Mapping[str, int]  # day -> cents


@dataclass(frozen=True)
class RfmCell:
    recency: int
    frequency: int
    monetary: int
    members: int
    net: int  # cents


def _within(by_day: Mapping[str, int], from_day: str, to_day: str) -> dict[str, int]:
    return {day: n for day, n in by_day.items() if from_day <= day <= to_day}


# Each score (1 to 5) and the monetary boundaries' index (0 to 4) fit below this.
CELL = 16

# A member's orders, net cents and last purchase day in a range (one who ordered in it).
RfmTotals = tuple[int, int, str]


def totals(member: RfmMember, from_day: str, to_day: str) -> RfmTotals | None:
    """The member's orders, net and last purchase day in the range; None: no order in it."""
    orders = _within(member.orders, from_day, to_day)
    count = sum(orders.values())
    if count <= 0:
        return None
    net = sum(_within(member.gross, from_day, to_day).values()) - sum(
        _within(member.returned, from_day, to_day).values()
    )
    return count, net, max(orders)


def cells(placed: Iterable[RfmTotals], to_day: str) -> list[RfmCell]:
    """The grid's cells that hold a member, by recency, frequency and monetary score
    (highest first), from each member's totals in a range ending `to_day`."""
    columns = list(zip(*placed, strict=True))
    if not columns:
        return []
    orders, net, last_days = columns
    return grid(orders, net, last_days, to_day)


def grid(
    orders: Sequence[int], net: Sequence[int], last_days: Sequence[str], to_day: str
) -> list[RfmCell]:
    """`cells` from the members' totals in columns: a recency score per distinct last day
    and a frequency score per distinct order count, worked out once (a tenant's members
    share a few hundred of each), the monetary score by bisecting the boundaries, each
    column scored at once and the cells counted and summed in one pass."""
    last_day = date.fromisoformat(to_day)
    # A cell as one int, `(recency * CELL + frequency) * CELL + monetary index`: adding
    # ints costs less than making and hashing a tuple a member.
    recency = {
        day: recency_score((last_day - date.fromisoformat(day)).days) * CELL * CELL
        for day in set(last_days)
    }
    frequency = {n: frequency_score(n) * CELL for n in set(orders)}
    keys = list(
        map(
            add,
            map(add, map(recency.__getitem__, last_days), map(frequency.__getitem__, orders)),
            map(bisect_right, repeat(MONETARY_CENTS), net),
        )
    )
    sales: dict[int, int] = {}
    # lazily, a member at a time: each adds its net to its cell's sum so far
    sales.update(zip(keys, map(add, map(sales.get, keys, repeat(0)), net), strict=True))
    members = Counter(keys)
    return [
        RfmCell(key // (CELL * CELL), key // CELL % CELL, key % CELL + 1, members[key], sales[key])
        for key in sorted(sales, reverse=True)
    ]


def rfm(members: Iterable[RfmMember], from_day: str, to_day: str) -> list[RfmCell]:
    """The grid's cells that hold a member, by recency, frequency and monetary score
    (highest first). A member who bought nothing in the range is in none."""
    placed = (totals(member, from_day, to_day) for member in members)
    return cells((t for t in placed if t is not None), to_day)
