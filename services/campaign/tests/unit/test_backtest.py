"""Replaying past purchases through a campaign: budget, per-member limit, audience."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from services.campaign.campaigns.domain.audience import MemberAudience
from services.campaign.campaigns.domain.backtest import backtest_days, replay
from services.campaign.campaigns.domain.history import OrderRecord, RecordedLine
from services.campaign.campaigns.domain.rules import (
    Campaign,
    Conditions,
    Effect,
    EffectType,
    Limits,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 10, 1, 4, 0, tzinfo=UTC)  # noon in Shanghai


def order(n: int, member: str, day: int, shoes: int = 100, socks: int = 50) -> OrderRecord:
    lines = (
        RecordedLine("SHOE-1", "shoes", 1, Decimal(shoes), shoes),
        RecordedLine("SOCK-2", "accessories", 1, Decimal(socks), socks),
    )
    return OrderRecord(
        "t1",
        f"o{n}",
        member,
        START + timedelta(days=day),
        "pos",
        "S001",
        "CNY",
        (shoes + socks) * 100,
        shoes + socks,
        lines,
        tier_code="member",
    )


DOUBLE_SHOES = Campaign(
    "c1",
    "Double points on shoes",
    1,
    # A draft scheduled after the history: the replay ignores the schedule.
    START + timedelta(days=365),
    START + timedelta(days=400),
    Conditions(categories=frozenset({"shoes"})),
    Effect(EffectType.MULTIPLIER, factor=Decimal(2)),
)


def nobody(member_id: str) -> MemberAudience:
    return MemberAudience()


def test_a_backtest_without_limits_grants_every_matching_order() -> None:
    orders = [order(1, "a", 0), order(2, "b", 1, shoes=0), order(3, "a", 2, shoes=80)]
    report = replay(DOUBLE_SHOES, orders, nobody, SHANGHAI)
    assert (report.orders_replayed, report.grants, report.points_granted) == (3, 2, 180)
    assert (report.members_reached, report.budget_used, report.budget_ran_out_on) == (
        1,
        None,
        None,
    )


def test_the_budget_runs_out_on_the_day_of_the_grant_that_took_the_last_of_it() -> None:
    budgeted = replace(DOUBLE_SHOES, limits=Limits(budget_points=250))
    # replayed oldest first whatever the order given: 100 + 100 + 50 (of 100) = 250
    orders = [order(4, "d", 5), order(3, "c", 3), order(1, "a", 0), order(2, "b", 1)]
    report = replay(budgeted, orders, nobody, SHANGHAI)
    assert (report.grants, report.points_granted, report.budget_used) == (3, 250, 250)
    assert report.budget_ran_out_on == date(2026, 10, 4)
    assert report.members_reached == 3


def test_the_per_member_limit_stops_a_members_later_orders() -> None:
    limited = replace(DOUBLE_SHOES, limits=Limits(per_member=1))
    orders = [order(i, "a", i) for i in range(3)] + [order(9, "b", 1)]
    report = replay(limited, orders, nobody, SHANGHAI)
    assert (report.grants, report.points_granted, report.members_reached) == (2, 200, 2)


def test_an_audience_campaign_replays_only_for_members_of_its_segment() -> None:
    vip = replace(DOUBLE_SHOES, conditions=Conditions(segment_id="seg-vip"))

    def audience(member_id: str) -> MemberAudience:
        return MemberAudience(frozenset({"seg-vip"}) if member_id == "a" else frozenset())

    orders = [order(1, "a", 0), order(2, "b", 0)]
    report = replay(vip, orders, audience, SHANGHAI)
    # the whole order's base points count: the campaign names no category
    assert (report.grants, report.points_granted, report.members_reached) == (1, 150, 1)


def test_a_backtest_gives_every_day_its_points_and_the_budget_left_at_its_end() -> None:
    budgeted = replace(DOUBLE_SHOES, limits=Limits(budget_points=250))
    orders = [order(1, "a", 0), order(2, "b", 0), order(3, "c", 2)]
    report = replay(budgeted, orders, nobody, SHANGHAI)
    window = [date(2026, 9, 30) + timedelta(days=n) for n in range(5)]
    days = backtest_days(report, window, 250)
    assert [(d.day.day, d.points_granted, d.grants, d.budget_left) for d in days] == [
        (30, 0, 0, 250),
        (1, 200, 2, 50),
        (2, 0, 0, 50),
        (3, 50, 1, 0),
        (4, 0, 0, 0),
    ]


def test_an_order_counts_on_its_local_day_not_its_utc_day() -> None:
    late = replace(order(1, "a", 0), occurred_at=datetime(2026, 10, 1, 17, 0, tzinfo=UTC))
    report = replay(DOUBLE_SHOES, [late], nobody, SHANGHAI)
    days = backtest_days(report, [date(2026, 10, 1), date(2026, 10, 2)], None)
    assert [(d.points_granted, d.budget_left) for d in days] == [(0, None), (100, None)]
