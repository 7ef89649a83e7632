"""A campaign's results day by day as the campaign service gives them: its grants per local
day and the budget left at each day's end, loading no member. (What targeted and held-out
members bought each day and the running uplift moved to the analytics read model:
services/analytics/tests/unit/test_campaign_days.py.)"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from services.campaign.campaigns.domain import lifecycle
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.daily import (
    MAX_DAYS,
    DayCounts,
    daily_results,
    days_from,
    local_day,
)
from services.campaign.campaigns.domain.definitions import Definition
from services.campaign.campaigns.domain.rules import (
    Campaign,
    Conditions,
    Effect,
    EffectType,
    Limits,
)
from services.campaign.campaigns.handlers.daily import CampaignDays
from services.campaign.tests.fakes import FakeStore

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST = date(2026, 11, 1)
WEEK = days_from(FIRST, FIRST + timedelta(days=6))
BONUS = Campaign(
    "c-daily",
    "Weekend bonus",
    1,
    None,
    None,
    Conditions(),
    Effect(EffectType.BONUS_POINTS, points=50),
    limits=Limits(budget_points=1000),
    holdout_percent=30,
)


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 4, tzinfo=UTC)  # noon in Shanghai


def test_a_grant_counts_on_the_local_day_of_its_order() -> None:
    late_evening_utc = datetime(2026, 11, 1, 17, 30, tzinfo=UTC)
    assert local_day(late_evening_utc, SHANGHAI) == "2026-11-02"
    assert local_day(late_evening_utc, UTC) == "2026-11-01"


def test_every_day_of_the_window_is_there_the_quiet_ones_too() -> None:
    counts = {"2026-11-03": DayCounts(granted=150, grants=3, members=2)}
    days = daily_results(
        BONUS,
        WEEK,
        counts=counts,
    )
    assert [d.day for d in days] == WEEK
    assert [(d.points_granted, d.grants, d.members_reached) for d in days[1:4]] == [
        (0, 0, 0),
        (150, 3, 2),
        (0, 0, 0),
    ]


def test_the_budget_left_at_each_days_end_counts_the_grants_before_the_window() -> None:
    counts = {
        "2026-10-30": DayCounts(granted=100),
        "2026-11-02": DayCounts(granted=250),
        "2026-11-05": DayCounts(granted=700),
    }
    days = daily_results(
        BONUS,
        WEEK,
        counts=counts,
    )
    assert [d.budget_left for d in days] == [900, 650, 650, 650, 0, 0, 0]


def test_a_campaign_without_a_budget_has_no_budget_left_by_day() -> None:
    unlimited = replace(BONUS, limits=Limits())
    days = daily_results(
        unlimited,
        WEEK[:2],
        counts={},
    )
    assert [d.budget_left for d in days] == [None, None]


def test_a_long_campaign_shows_its_latest_days_only() -> None:
    last = FIRST + timedelta(days=1000)
    window = days_from(FIRST, last)
    assert (len(window), window[-1]) == (MAX_DAYS, last)


@dataclass
class KeptCounts:
    counted: dict[str, DayCounts] = field(default_factory=dict)

    async def days(self, tenant_id: str, campaign_id: str) -> dict[str, DayCounts]:
        return self.counted


async def test_the_days_are_answered_from_the_campaign_and_its_counters_alone() -> None:
    """The handler is given no member history nor segment memberships: it cannot load the
    audience (the analytics read model answers the groups' days)."""
    store = FakeStore()
    definition = Definition(
        "Weekend bonus",
        Trigger.PURCHASE,
        datetime(2026, 11, 1, tzinfo=SHANGHAI),
        None,
        Conditions(segment_id="seg-1"),
        Effect(EffectType.BONUS_POINTS, points=50),
        holdout_percent=30,
    )
    await store.add(lifecycle.draft("c1", "t1", definition, noon(FIRST)))
    counts = KeptCounts({"2026-11-02": DayCounts(granted=50, grants=1, members=1)})
    handler = CampaignDays(store, counts, lambda: noon(FIRST + timedelta(days=2)))

    days = await handler.days("t1", "c1", SHANGHAI)

    assert {f.name for f in fields(CampaignDays)} == {"store", "counters", "clock"}
    assert [(d.day, d.points_granted, d.members_reached) for d in days] == [
        (FIRST, 0, 0),
        (FIRST + timedelta(days=1), 50, 1),
        (FIRST + timedelta(days=2), 0, 0),
    ]
