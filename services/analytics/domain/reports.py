"""Report arithmetic over summed buckets: pure functions, unit-tested."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from services.analytics.domain.buckets import CENT
from services.analytics.domain.days import days_before
from services.analytics.domain.errors import BadPointValue
from services.analytics.domain.facts import Lot

EXPIRY_WINDOWS = (30, 60, 90)
BREAKAGE_WINDOWS = (30, 90, 365)
RATE = Decimal("0.0001")
SMALLEST_POINT_VALUE = Decimal("0.000001")


Keys = dict[str, str]
Counts = dict[str, int]


def roll_up(rows: Iterable[tuple[Keys, Counts]], by: Sequence[str]) -> list[tuple[Keys, Counts]]:
    """Rows summed by some of their keys and sorted by them: what summing the same buckets
    grouped by `by` alone gives (no rows, no row; `by` empty, one row of the totals)."""
    totals: dict[tuple[str, ...], Counts] = {}
    for keys, counts in rows:
        into = totals.setdefault(tuple(keys[name] for name in by), dict.fromkeys(counts, 0))
        for name, n in counts.items():
            into[name] += n
    return [(dict(zip(by, key, strict=True)), counts) for key, counts in sorted(totals.items())]


def active_members(last_days: Iterable[str], to_day: str, windows: Sequence[int]) -> dict[int, int]:
    """Members who bought in each window of `windows` days ending with `to_day`, from each
    member's last purchase day up to it."""
    latest = list(last_days)
    starts = {n: days_before(to_day, n) for n in windows}
    return {n: sum(1 for day in latest if day > starts[n]) for n in windows}


def issued_and_expired(
    points: Iterable[tuple[Keys, Counts]], day: str, windows: Sequence[int]
) -> dict[int, tuple[int, int]]:
    """Points issued and expired in each window of `windows` days ending with `day`, from
    the points by day."""
    by_day = [(keys["day"], counts) for keys, counts in points]
    sums: dict[int, tuple[int, int]] = {}
    for n in windows:
        start = days_before(day, n)
        inside = [counts for d, counts in by_day if d > start]
        sums[n] = (
            sum(c.get("issued", 0) for c in inside),
            sum(c.get("expired", 0) for c in inside),
        )
    return sums


def money(cents: int) -> str:
    """Cents as a decimal string with two places."""
    return str((Decimal(cents) * CENT).quantize(CENT))


def average(cents: int, orders: int) -> str:
    """Net sales per order; "" for no orders."""
    if orders <= 0:
        return ""
    return str((Decimal(cents) * CENT / orders).quantize(CENT))


def breakage_rate(issued: int, expired: int) -> str:
    """Expired ÷ issued with 4 places; "" when nothing was issued."""
    if issued <= 0:
        return ""
    return str((Decimal(expired) / issued).quantize(RATE))


def parse_point_value(raw: str) -> Decimal | None:
    """A point's worth: a decimal string at or above zero; None for ""."""
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except ArithmeticError:
        raise BadPointValue("point_value is a decimal string such as 0.01") from None
    if not value.is_finite() or value < 0 or value != value.quantize(SMALLEST_POINT_VALUE):
        raise BadPointValue("point_value is a decimal at or above 0, at most 6 places")
    return value


def points_value(points: int, point_value: Decimal | None) -> str:
    if point_value is None:
        return ""
    return str((point_value * points).quantize(CENT))


def expiring_within(lots: Iterable[Lot], as_of: datetime, days: int) -> int:
    """Points of the lots that expire after `as_of` and within `days` days of it."""
    end = as_of + timedelta(days=days)
    return sum(lot.points for lot in lots if as_of < lot.expires_at <= end)


@dataclass(frozen=True)
class TierDay:
    day: str
    tier: str
    members: int


def tier_series(
    days: list[str], before: Mapping[str, int], moves: Mapping[tuple[str, str], int]
) -> list[TierDay]:
    """Members in each tier at the end of each day: the count before the range plus each
    day's joiners less its leavers. A tier with no member over the whole range is left
    out; one that empties shows zero."""
    tiers = sorted({*before, *(tier for _, tier in moves)})
    counts = {tier: before.get(tier, 0) for tier in tiers}
    series: list[TierDay] = []
    seen: set[str] = {tier for tier, n in counts.items() if n}
    for day in days:
        for tier in tiers:
            counts[tier] += moves.get((day, tier), 0)
            if counts[tier]:
                seen.add(tier)
        series += [TierDay(day, tier, counts[tier]) for tier in tiers]
    return [row for row in series if row.tier in seen]
