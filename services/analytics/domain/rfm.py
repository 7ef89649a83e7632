"""The RFM grid: members who bought in a range, placed by recency (days from their last
purchase to the range's last day), frequency (orders in the range) and monetary value
(what they spent in it, less what they brought back), each scored 1 to 5 by fixed
boundaries; per cell the members and their net sales. Pure: the adapter hands over each
member's orders, gross and returns per day (merged members' in their survivor's; merged
members and those who refused profiling left out)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

# A score's lower bounds, from score 2 up (score 1 is below the first).
RECENCY_DAYS = (180, 90, 30, 7)  # at most this many days since: R2 ≤180 … R5 ≤7
FREQUENCY_ORDERS = (2, 3, 5, 10)  # F1 1, F2 2, F3 3-4, F4 5-9, F5 10+
MONETARY_CENTS = (100_00, 300_00, 1_000_00, 3_000_00)  # M1 <100, M2 <300, M3 <1,000, M4 <3,000


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


def recency_score(days: int) -> int:
    return 1 + sum(1 for bound in RECENCY_DAYS if days <= bound)


def frequency_score(orders: int) -> int:
    return 1 + sum(1 for bound in FREQUENCY_ORDERS if orders >= bound)


def monetary_score(cents: int) -> int:
    return 1 + sum(1 for bound in MONETARY_CENTS if cents >= bound)


def _within(by_day: Mapping[str, int], from_day: str, to_day: str) -> dict[str, int]:
    return {day: n for day, n in by_day.items() if from_day <= day <= to_day}


def rfm(members: Iterable[RfmMember], from_day: str, to_day: str) -> list[RfmCell]:
    """The grid's cells that hold a member, by recency, frequency and monetary score
    (highest first). A member who bought nothing in the range is in none."""
    cells: dict[tuple[int, int, int], tuple[int, int]] = {}
    last_day = date.fromisoformat(to_day)
    for member in members:
        orders = _within(member.orders, from_day, to_day)
        count = sum(orders.values())
        if count <= 0:
            continue
        net = sum(_within(member.gross, from_day, to_day).values()) - sum(
            _within(member.returned, from_day, to_day).values()
        )
        since = (last_day - date.fromisoformat(max(orders))).days
        key = (recency_score(since), frequency_score(count), monetary_score(net))
        members_in, sales = cells.get(key, (0, 0))
        cells[key] = (members_in + 1, sales + net)
    return [RfmCell(r, f, m, n, net) for (r, f, m), (n, net) in sorted(cells.items(), reverse=True)]
