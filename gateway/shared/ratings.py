"""Members' ratings summed by store and day in the tenant's time zone (an average is a
decimal string with two places; no member is named), and their reading from the
feedback the contact slice keeps (`FEEDBACK`, gateway/contact/feedback/store.py), for the
analytics slice's report."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from libs.mongo import Database

FEEDBACK = "member_feedback"  # the collection
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


async def ratings_given(
    db: Database, tenant_id: str, start: datetime, end: datetime, stores: list[str]
) -> list[Rating]:
    """The ratings given in [start, end) at a store (of `stores`, unless empty)."""
    found: dict[str, Any] = {
        "tenant_id": tenant_id,
        "kind": "rating",
        "created_at": {"$gte": start, "$lt": end},
        "store_id": {"$in": stores} if stores else {"$nin": [None, ""]},
    }
    fields = {"store_id": 1, "created_at": 1, "rating": 1}
    return [
        Rating(d["store_id"], d["created_at"], int(d["rating"]))
        async for d in db[FEEDBACK].find(found, fields)
    ]
