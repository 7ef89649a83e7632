"""A campaign's results day by day, in the tenant's time zone: what its grants counted per
day (kept with the campaign's counters, keyed by the order's local date) and what its
audience bought per day, targeted against held out (from the purchases kept anyway)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal

from libs.errors import InvalidArgument
from libs.uplift import Moments, Uplift, welch_from_moments
from services.campaign.campaigns.domain.engine import held_out
from services.campaign.campaigns.domain.history import from_cents
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
class Spend:
    """One purchase as the daily figures need it."""

    member_id: str
    occurred_at: datetime
    cents: int


@dataclass(frozen=True)
class GroupDay:
    orders: int = 0
    spend: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class ResultDay:
    day: date
    # Members rewarded by the campaign for the first time that day.
    members_reached: int
    points_granted: int
    grants: int
    # At the end of the day, from the points granted so far; None without a budget.
    budget_left: int | None
    targeted: GroupDay
    # None when the campaign holds nobody out.
    held_out: GroupDay | None
    # Spend per member of the targeted less the held-out members, from the campaign's start
    # to the day's end, with its 95% interval; None without a holdout or with fewer than
    # two members in a group.
    uplift: Uplift | None = None


def _groups(
    campaign: Campaign, audience: frozenset[str], purchases: Iterable[Spend], tz: tzinfo
) -> dict[tuple[date, bool], tuple[int, int]]:
    """(orders, cents) per local day and group (True: held out) of the audience's orders."""
    sums: dict[tuple[date, bool], tuple[int, int]] = {}
    for p in purchases:
        if p.member_id not in audience:
            continue
        key = (p.occurred_at.astimezone(tz).date(), held_out(campaign, p.member_id))
        orders, cents = sums.get(key, (0, 0))
        sums[key] = (orders + 1, cents + max(0, p.cents))
    return sums


def _group(sums: Mapping[tuple[date, bool], tuple[int, int]], day: date, out: bool) -> GroupDay:
    orders, cents = sums.get((day, out), (0, 0))
    return GroupDay(orders, from_cents(cents))


class RunningUplift:
    """Each audience member's spend so far by group, fed the purchases in time order;
    `uplift()` is the interval as of the last purchase fed."""

    def __init__(self, campaign: Campaign, audience: frozenset[str]) -> None:
        self._campaign = campaign
        self._audience = audience
        self._spent: dict[str, int] = {}
        out = sum(1 for m in audience if held_out(campaign, m))
        self._groups = {False: Moments(len(audience) - out), True: Moments(out)}

    def add(self, purchase: Spend) -> None:
        member = purchase.member_id
        if member not in self._audience:
            return
        before = self._spent.get(member, 0)
        after = before + max(0, purchase.cents)
        self._spent[member] = after
        group = held_out(self._campaign, member)
        self._groups[group] = self._groups[group].moved(before, after)

    def uplift(self) -> Uplift | None:
        return welch_from_moments(self._groups[False], self._groups[True])


def daily_results(
    campaign: Campaign,
    days: list[date],
    *,
    counts: Mapping[str, DayCounts],
    audience: frozenset[str],
    purchases: Iterable[Spend],
    tz: tzinfo,
) -> list[ResultDay]:
    """One entry per day of `days` (ascending). The budget left counts every grant up to
    the day's end, those of days before `days` included; so does the uplift every purchase
    of the audience."""
    budget = campaign.limits.budget_points
    purchases = list(purchases)
    sums = _groups(campaign, audience, purchases, tz)
    first = days[0].isoformat() if days else ""
    granted = sum(c.granted for key, c in counts.items() if key < first)
    holdout = campaign.holdout_percent > 0
    ordered = sorted(purchases, key=lambda p: p.occurred_at)
    running = RunningUplift(campaign, audience)
    fed = 0
    out: list[ResultDay] = []
    for day in days:
        c = counts.get(day.isoformat(), DayCounts())
        granted += c.granted
        while (
            holdout and fed < len(ordered) and ordered[fed].occurred_at.astimezone(tz).date() <= day
        ):
            running.add(ordered[fed])
            fed += 1
        out.append(
            ResultDay(
                day=day,
                members_reached=c.members,
                points_granted=c.granted,
                grants=c.grants,
                budget_left=None if budget is None else max(0, budget - granted),
                targeted=_group(sums, day, False),
                held_out=_group(sums, day, True) if holdout else None,
                uplift=running.uplift() if holdout else None,
            )
        )
    return out
