"""The RFM grid: members who bought in a range, placed by recency (days from their last
purchase to the range's last day), frequency (orders in the range) and monetary value
(what they spent in it, less what they brought back), each scored 1 to 5 by fixed
boundaries (libs/rfm_scores.py, shared with segments made of a cell); per cell the
members and their net sales. Pure: the adapter hands over each member's orders, gross and
returns per day (merged members' in their survivor's; merged members and those who
refused profiling left out)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from libs.rfm_scores import frequency_score, monetary_score, recency_score


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
    grid: dict[tuple[int, int, int], tuple[int, int]] = {}
    last_day = date.fromisoformat(to_day)
    # A score per distinct last day and order count, worked out once (a tenant's members
    # share a few hundred of each).
    recency: dict[str, int] = {}
    frequency: dict[int, int] = {}
    for count, net, last in placed:
        r = recency.get(last)
        if r is None:
            r = recency[last] = recency_score((last_day - date.fromisoformat(last)).days)
        f = frequency.get(count)
        if f is None:
            f = frequency[count] = frequency_score(count)
        key = (r, f, monetary_score(net))
        members_in, sales = grid.get(key, (0, 0))
        grid[key] = (members_in + 1, sales + net)
    return [RfmCell(r, f, m, n, net) for (r, f, m), (n, net) in sorted(grid.items(), reverse=True)]


def rfm(members: Iterable[RfmMember], from_day: str, to_day: str) -> list[RfmCell]:
    """The grid's cells that hold a member, by recency, frequency and monetary score
    (highest first). A member who bought nothing in the range is in none."""
    placed = (totals(member, from_day, to_day) for member in members)
    return cells((t for t in placed if t is not None), to_day)
