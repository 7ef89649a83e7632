"""A campaign's results day by day, in the tenant's time zone: what its grants counted per
day (kept with the campaign's counters, keyed by the order's local date) and the budget
left at each day's end. What its audience bought per day, targeted against held out, and
the running uplift come from the analytics read model, composed by the gateway
(docs/campaigns.md "Day by day"): this service loads no member for them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from libs.errors import InvalidArgument
from services.campaign.campaigns.domain.parsing import parse_zone
from services.campaign.campaigns.domain.rules import Campaign

MAX_DAYS = 366


def local_day(at: datetime, tz: tzinfo) -> str:
    """The key of a grant's day: the local date of the order (or event) that earned it."""
    return at.astimezone(tz).date().isoformat()


def zone_day(at: datetime | None, time_zone: str) -> str:
    """`local_day` in the zone named `time_zone` (UTC when it is unknown); "" without `at`."""
    if at is None:
        return ""
    try:
        zone = parse_zone(time_zone)
    except InvalidArgument:
        zone = UTC
    return local_day(at, zone)


def days_from(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, the latest MAX_DAYS of them."""
    first = max(first, last - timedelta(days=MAX_DAYS - 1))
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@dataclass(frozen=True)
class DayCounts:
    """What the grants of one day counted: points, grants, and members rewarded for the
    first time by the campaign."""

    granted: int = 0
    grants: int = 0
    members: int = 0


@dataclass(frozen=True)
class ResultDay:
    day: date
    # Members rewarded by the campaign for the first time that day.
    members_reached: int
    points_granted: int
    grants: int
    # At the end of the day, from the points granted so far; None without a budget.
    budget_left: int | None


def daily_results(
    campaign: Campaign, days: list[date], *, counts: Mapping[str, DayCounts]
) -> list[ResultDay]:
    """One entry per day of `days` (ascending). The budget left counts every grant up to
    the day's end, those of days before `days` included."""
    budget = campaign.limits.budget_points
    first = days[0].isoformat() if days else ""
    granted = sum(c.granted for key, c in counts.items() if key < first)
    out: list[ResultDay] = []
    for day in days:
        c = counts.get(day.isoformat(), DayCounts())
        granted += c.granted
        out.append(
            ResultDay(
                day=day,
                members_reached=c.members,
                points_granted=c.granted,
                grants=c.grants,
                budget_left=None if budget is None else max(0, budget - granted),
            )
        )
    return out
