"""A member's orders and net cents (gross less returned) summed per month (and, within the month,
per day), so a range of days sums a few numbers per member who bought in it instead of
walking its whole history. Pure: RFM's totals and the league table's spends come out
exactly as `profiles.rfm_totals` and `profiles.member_spend` give them (tests hold them
equal).

A range's whole months take each member's month sums; its first and last months, when
the range starts or ends inside them, take the member's days of that month within the
range. Merged members have no sums (their history is their survivor's)."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping
from itertools import compress, repeat
from operator import add, and_, rshift
from typing import TYPE_CHECKING, NamedTuple

from services.analytics.domain.retention import month_of
from services.analytics.domain.rfm import RfmTotals

if TYPE_CHECKING:  # profiles imports the ports, which import this
    from services.analytics.domain.profiles import MemberProfile


class DaySums(NamedTuple):
    day: str
    orders: int
    net: int  # gross less returned cents


class MonthSums(NamedTuple):
    orders: int
    net: int  # cents
    last_order_day: str  # the month's last day with an order, "" for none
    days: tuple[DaySums, ...]  # in order


class MonthPart(NamedTuple):
    """A month of a range: all of it, or only its days from `first` to `last`."""

    month: str
    first: str
    last: str
    whole: bool


def month_sums(profile: MemberProfile) -> dict[str, MonthSums]:
    """The member's sums by month (none for a merged member)."""
    if profile.merged:
        return {}
    by_day: dict[str, list[int]] = {}
    for day, orders, gross in zip(profile.spend_days, profile.orders, profile.gross, strict=True):
        kept = by_day.setdefault(day, [0, 0])
        kept[0] += orders
        kept[1] += gross
    for day, cents in zip(profile.return_days, profile.returned, strict=True):
        by_day.setdefault(day, [0, 0])[1] -= cents
    by_month: dict[str, list[DaySums]] = {}
    for day in sorted(by_day):
        by_month.setdefault(month_of(day), []).append(DaySums(day, *by_day[day]))
    return {
        month: MonthSums(
            sum(d.orders for d in days),
            sum(d.net for d in days),
            max((d.day for d in days if d.orders), default=""),
            tuple(days),
        )
        for month, days in by_month.items()
    }


def month_parts(from_day: str, to_day: str) -> list[MonthPart]:
    """The months from `from_day`'s to `to_day`'s, each whole or cut at the range's ends."""
    parts: list[MonthPart] = []
    year, month = int(from_day[:4]), int(from_day[5:7])
    while (key := f"{year:04}-{month:02}") <= to_day[:7]:
        start, end = f"{key}-01", f"{key}-{monthrange(year, month)[1]:02}"
        first, last = max(start, from_day), min(end, to_day)
        parts.append(MonthPart(key, first, last, first == start and last == end))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return parts


NO_DAY = "-"  # no order on a row's days: sorts before every day
# A member's orders and net cents summed as one int, `net << SHIFT | orders` (orders below
# 2**SHIFT), so one dictionary lookup and one addition add a row: exact for any net,
# negative too (its low bits are the orders, the rest, shifted back, the net).
SHIFT = 32
ORDERS_MASK = (1 << SHIFT) - 1


class MemberTotals(NamedTuple):
    """Each member's orders, net cents and last order day (`NO_DAY` for none) in a range,
    in columns, a member once."""

    keys: list[str]
    orders: list[int]
    net: list[int]
    last_days: list[str]


def packed(orders: int, net: int) -> int:
    """A row's orders and net cents as one int (`SHIFT`)."""
    return (net << SHIFT) + orders


class RangeSums:
    """A range's rows summed per member as they are added, its months (and its cut
    months' days) in order: each row's orders and net (packed, `SHIFT`) added to the
    member's, its last order day replacing the member's, all of it with `map` and
    `dict.update` over a month's columns rather than a Python statement a row."""

    def __init__(self, *, last_days: bool = True) -> None:
        self._sums: dict[str, int] = {}
        self._last_days: dict[str, str] | None = {} if last_days else None

    def add_month(self, keys: list[str], sums: list[int], last: list[str]) -> None:
        """Rows in order (a member's later row after its earlier): orders and net packed,
        and last order day (`NO_DAY` on a row without orders)."""
        kept = self._sums
        # lazily, a row at a time: a member's second row of the same call adds to its first
        kept.update(zip(keys, map(add, map(kept.get, keys, repeat(0)), sums), strict=True))
        if self._last_days is not None:
            ordered = list(map(and_, sums, repeat(ORDERS_MASK)))
            self._last_days.update(
                zip(compress(keys, ordered), compress(last, ordered), strict=True)
            )

    def kept(self) -> tuple[dict[str, int], dict[str, str]]:
        """The sums so far (orders and net packed) and last order days, by member: what
        `take` takes back."""
        return dict(self._sums), dict(self._last_days or {})

    def take(self, sums: Mapping[str, int], last_days: Mapping[str, str]) -> None:
        """Sums of other members (`kept` of rows none of these members have), added as
        they are: of earlier months than any row added after them."""
        self._sums.update(sums)
        if self._last_days is not None:
            self._last_days.update(last_days)

    def _columns(self, keys: list[str], sums: list[int]) -> MemberTotals:
        last_days = self._last_days or {}
        return MemberTotals(
            keys,
            list(map(and_, sums, repeat(ORDERS_MASK))),
            list(map(rshift, sums, repeat(SHIFT))),
            list(map(last_days.get, keys, repeat(NO_DAY))),
        )

    def totals(self) -> MemberTotals:
        return self._columns(list(self._sums), list(self._sums.values()))

    def rfm_columns(self, refusing: frozenset[str]) -> MemberTotals:
        """The totals of members who ordered in the range, those refusing profiling
        left out."""
        keys, sums = list(self._sums), list(self._sums.values())
        placed = list(map(and_, sums, repeat(ORDERS_MASK)))
        if refusing:
            placed = list(map(_placed, placed, map(refusing.__contains__, keys)))
        return self._columns(list(compress(keys, placed)), list(compress(sums, placed)))

    def rfm_totals(self, refusing: frozenset[str]) -> list[RfmTotals]:
        """Each member who ordered in the range (those refusing profiling left out): its
        orders, net cents and last order day."""
        placed = self.rfm_columns(refusing)
        return list(zip(placed.orders, placed.net, placed.last_days, strict=True))

    def net_spend(self) -> dict[str, int]:
        """Each member's net cents in the range."""
        return dict(zip(self._sums, map(rshift, self._sums.values(), repeat(SHIFT)), strict=True))

    def packed_sums(self) -> dict[str, int]:
        """Each member's orders and net cents in the range, packed (`packed`): a group's
        packed sums summed are its orders (`ORDERS_MASK`) and net (`SHIFT`) summed. The
        dictionary kept, not a copy."""
        return self._sums


def _placed(orders: int, refuses: bool) -> bool:
    return orders > 0 and not refuses
