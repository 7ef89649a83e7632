"""Members' ratings summed by store and day in the tenant's time zone: plain rules, no I/O.
An average is a decimal string with two places; no member is named."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

MAX_DAYS = 366
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Rating:
    store_id: str
    at: datetime
    rating: int


@dataclass(frozen=True)
class RatingRow:
    day: str  # "" on a store's total over the range
    store_id: str
    ratings: int
    average: str


def window(zone: ZoneInfo, first: date, last: date) -> tuple[datetime, datetime]:
    """The instants the days cover, from the first's midnight to the day after the last."""
    start = datetime.combine(first, time(), zone)
    return start, datetime.combine(last + timedelta(days=1), time(), zone)


def average(total: int, count: int) -> str:
    return str((Decimal(total) / Decimal(count)).quantize(CENT, rounding=ROUND_HALF_UP))


def _rows(sums: dict[tuple[str, str], list[int]]) -> list[RatingRow]:
    return [
        RatingRow(day, store, len(values), average(sum(values), len(values)))
        for (day, store), values in sorted(sums.items())
    ]


def by_store_and_day(
    ratings: Iterable[Rating], zone: ZoneInfo
) -> tuple[list[RatingRow], list[RatingRow]]:
    """Each store's ratings and average per day, and over the whole range."""
    days: dict[tuple[str, str], list[int]] = defaultdict(list)
    stores: dict[tuple[str, str], list[int]] = defaultdict(list)
    for each in ratings:
        day = each.at.astimezone(zone).date().isoformat()
        days[(day, each.store_id)].append(each.rating)
        stores[("", each.store_id)].append(each.rating)
    return _rows(days), _rows(stores)
