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
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from services.analytics.domain.profiles import MemberProfile
from services.analytics.domain.retention import month_of
from services.analytics.domain.rfm import RfmTotals


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


class RangeSums:
    """Each member's orders, net cents and last order day in a range, summed as its
    months (and cut months' days) are added, in order."""

    def __init__(self) -> None:
        self.totals: dict[str, list[int]] = {}  # member key -> [orders, net cents]
        self.last_days: dict[str, str] = {}  # member key -> last order day

    def add_month(
        self,
        keys: Sequence[str],
        orders: Iterable[int],
        net: Iterable[int],
        last: Iterable[str],
    ) -> None:
        """A whole month's sums (a later month's last order day replaces an earlier's)."""
        totals, last_days = self.totals, self.last_days
        for key, n, cents, day in zip(keys, orders, net, last, strict=True):
            kept = totals.get(key)
            if kept is None:
                totals[key] = [n, cents]
            else:
                kept[0] += n
                kept[1] += cents
            if n:
                last_days[key] = day

    def add_days(self, key: str, days: Iterable[DaySums]) -> None:
        """A member's days of a month cut at the range's ends (only those within it)."""
        for day, n, net in days:
            self.add_month((key,), (n,), (net,), (day,))

    def rfm_totals(self, refusing: frozenset[str]) -> list[RfmTotals]:
        """Each member who ordered in the range (those refusing profiling left out): its
        orders, net cents and last order day."""
        last_days = self.last_days
        return [
            (n, cents, last_days[key])
            for key, (n, cents) in self.totals.items()
            if n > 0 and key not in refusing
        ]

    def net_spend(self) -> dict[str, int]:
        """Each member's net cents in the range."""
        return {key: cents for key, (_, cents) in self.totals.items()}
