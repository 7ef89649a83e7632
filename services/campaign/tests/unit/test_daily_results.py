"""A campaign's results day by day: its grants per local day, the budget left at each day's
end, and what targeted and held-out members bought each day."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from libs.uplift import welch_uplift
from services.campaign.campaigns.domain.daily import (
    MAX_DAYS,
    DayCounts,
    GroupDay,
    Spend,
    daily_results,
    days_from,
    local_day,
)
from services.campaign.campaigns.domain.engine import held_out
from services.campaign.campaigns.domain.rules import (
    Campaign,
    Conditions,
    Effect,
    EffectType,
    Limits,
)

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
MEMBERS = [f"m{i}" for i in range(40)]
OUT = next(m for m in MEMBERS if held_out(BONUS, m))
IN = next(m for m in MEMBERS if not held_out(BONUS, m))


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 4, tzinfo=UTC)  # noon in Shanghai


def test_a_grant_counts_on_the_local_day_of_its_order() -> None:
    late_evening_utc = datetime(2026, 11, 1, 17, 30, tzinfo=UTC)
    assert local_day(late_evening_utc, SHANGHAI) == "2026-11-02"
    assert local_day(late_evening_utc, UTC) == "2026-11-01"


def test_every_day_of_the_window_is_there_the_quiet_ones_too() -> None:
    counts = {"2026-11-03": DayCounts(granted=150, grants=3, members=2)}
    days = daily_results(
        BONUS, WEEK, counts=counts, audience=frozenset(), purchases=[], tz=SHANGHAI
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
        BONUS, WEEK, counts=counts, audience=frozenset(), purchases=[], tz=SHANGHAI
    )
    assert [d.budget_left for d in days] == [900, 650, 650, 650, 0, 0, 0]


def test_a_campaign_without_a_budget_has_no_budget_left_by_day() -> None:
    unlimited = replace(BONUS, limits=Limits())
    days = daily_results(
        unlimited, WEEK[:2], counts={}, audience=frozenset(), purchases=[], tz=SHANGHAI
    )
    assert [d.budget_left for d in days] == [None, None]


def test_orders_and_spend_split_targeted_against_held_out_per_local_day() -> None:
    purchases = [
        Spend(IN, noon(FIRST), 10000),
        Spend(IN, noon(FIRST), 5050),
        Spend(OUT, noon(FIRST), 3000),
        Spend(OUT, noon(FIRST + timedelta(days=1)), 2000),
        Spend("stranger", noon(FIRST), 99999),  # outside the audience
        Spend(IN, datetime(2026, 11, 2, 17, tzinfo=UTC), 700),  # the 3rd, locally
    ]
    days = daily_results(
        BONUS,
        WEEK[:3],
        counts={},
        audience=frozenset({IN, OUT}),
        purchases=purchases,
        tz=SHANGHAI,
    )
    assert [(d.targeted, d.held_out) for d in days] == [
        (GroupDay(2, Decimal("150.50")), GroupDay(1, Decimal("30.00"))),
        (GroupDay(0, Decimal("0.00")), GroupDay(1, Decimal("20.00"))),
        (GroupDay(1, Decimal("7.00")), GroupDay(0, Decimal("0.00"))),
    ]


def test_without_a_holdout_every_audience_member_is_targeted() -> None:
    everyone = replace(BONUS, holdout_percent=0)
    purchases = [Spend(OUT, noon(FIRST), 3000)]
    days = daily_results(
        everyone,
        WEEK[:1],
        counts={},
        audience=frozenset({OUT}),
        purchases=purchases,
        tz=SHANGHAI,
    )
    assert (days[0].targeted, days[0].held_out) == (GroupDay(1, Decimal("30.00")), None)


def test_a_long_campaign_shows_its_latest_days_only() -> None:
    last = FIRST + timedelta(days=1000)
    window = days_from(FIRST, last)
    assert (len(window), window[-1]) == (MAX_DAYS, last)


def test_the_uplift_of_each_day_is_that_of_the_spend_from_the_start_to_the_days_end() -> None:
    targeted = [m for m in MEMBERS if not held_out(BONUS, m)][:3]
    out = [m for m in MEMBERS if held_out(BONUS, m)][:3]
    purchases = [
        Spend(targeted[0], noon(FIRST), 6000),
        Spend(out[0], noon(FIRST), 1000),
        Spend(targeted[1], noon(FIRST + timedelta(days=2)), 3000),
        Spend(targeted[0], noon(FIRST - timedelta(days=1)), 3000),  # before the days shown
    ]
    days = daily_results(
        BONUS,
        WEEK[:3],
        counts={},
        audience=frozenset([*targeted, *out]),
        purchases=purchases,
        tz=SHANGHAI,
    )
    whole = welch_uplift([9000, 3000, 0], [1000, 0, 0])
    first_day = welch_uplift([9000, 0, 0], [1000, 0, 0])
    assert [d.uplift for d in days] == [first_day, first_day, whole]
    assert whole is not None
    assert whole.difference == Decimal("36.67")
    assert whole.low < whole.difference < whole.high


def test_there_is_no_uplift_by_day_without_a_holdout() -> None:
    everyone = replace(BONUS, holdout_percent=0)
    purchases = [Spend(IN, noon(FIRST), 3000), Spend(OUT, noon(FIRST), 1000)]
    days = daily_results(
        everyone,
        WEEK[:1],
        counts={},
        audience=frozenset({IN, OUT}),
        purchases=purchases,
        tz=SHANGHAI,
    )
    assert days[0].uplift is None
