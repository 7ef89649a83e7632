"""The rules engine: every condition, effect, holdout and stacking rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from services.campaign.campaigns.domain.engine import evaluate, held_out
from services.campaign.campaigns.domain.facts import Line, Member, Purchase
from services.campaign.campaigns.domain.rules import (
    Campaign,
    Conditions,
    Effect,
    EffectType,
    HourWindow,
    Limits,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Wednesday 25 November 2026, 10:15 in Shanghai
AT = datetime(2026, 11, 25, 2, 15, tzinfo=UTC)
MEMBER = Member(
    "m1",
    "gold",
    AT - timedelta(days=30),
    birth_month=11,
    first_purchase=True,
    segments=frozenset({"seg-vip"}),
    marketing_consent=True,
)
PURCHASE = Purchase(
    MEMBER,
    "pos",
    "S001",
    AT,
    Decimal("398.00"),
    (
        Line("SHOE-1", "shoes", 1, Decimal("299.00"), 299),
        Line("SOCK-2", "accessories", 1, Decimal("99.00"), 99),
    ),
    SHANGHAI,
)
DOUBLE = Campaign(
    "c-double",
    "Double points on shoes",
    2,
    AT - timedelta(days=1),
    AT + timedelta(days=6),
    Conditions(categories=frozenset({"shoes"})),
    Effect(EffectType.MULTIPLIER, factor=Decimal(2)),
)
BONUS = replace(
    DOUBLE,
    campaign_id="c-bonus",
    name="50 extra",
    conditions=Conditions(),
    effect=Effect(EffectType.BONUS_POINTS, points=50),
)


def points(outcome_campaigns: list[Campaign], purchase: Purchase = PURCHASE) -> list[int]:
    return [a.points for a in evaluate(outcome_campaigns, purchase).applied]


def reasons(campaign: Campaign, purchase: Purchase = PURCHASE) -> list[str]:
    return [s.reason for s in evaluate([campaign], purchase).skipped]


def test_a_multiplier_adds_the_extra_base_points_of_the_matching_lines_only() -> None:
    assert points([DOUBLE]) == [299]


def test_a_fractional_multiplier_rounds_the_extra_points_down() -> None:
    assert points([replace(DOUBLE, effect=Effect(EffectType.MULTIPLIER, Decimal("1.5")))]) == [149]


def test_a_bonus_points_effect_grants_its_points_once_per_order() -> None:
    assert points([BONUS]) == [50]


def test_a_coupon_effect_applies_with_its_template_and_no_points() -> None:
    coupon = replace(BONUS, effect=Effect(EffectType.COUPON, template_id="t-10off"))
    [applied] = evaluate([coupon], PURCHASE).applied
    assert (applied.kind, applied.points, applied.coupon_template_id) == ("coupon", 0, "t-10off")


def test_a_coupon_never_reaches_a_member_without_marketing_consent() -> None:
    coupon = replace(BONUS, effect=Effect(EffectType.COUPON, template_id="t-10off"))
    silent = replace(PURCHASE, member=replace(MEMBER, marketing_consent=False))
    assert reasons(coupon, silent) == ["no_marketing_consent"]
    assert points([BONUS], silent) == [50]


def test_a_campaign_with_an_audience_applies_only_to_members_of_its_segment() -> None:
    vip = replace(BONUS, conditions=Conditions(segment_id="seg-vip"))
    others = replace(BONUS, conditions=Conditions(segment_id="seg-lapsed"))
    assert points([vip]) == [50]
    assert reasons(others) == ["segment"]


def test_the_grant_records_the_campaign_version() -> None:
    assert [a.campaign_version for a in evaluate([DOUBLE], PURCHASE).applied] == [2]


@pytest.mark.parametrize(
    ("conditions", "reason"),
    [
        (Conditions(channels=frozenset({"app"})), "channel"),
        (Conditions(store_ids=frozenset({"S002"})), "store"),
        (Conditions(tiers=frozenset({"silver"})), "tier"),
        (Conditions(min_total=Decimal("398.01")), "min_total"),
        (Conditions(min_days_since_enrolment=31), "days_since_enrolment"),
        (Conditions(days_of_week=frozenset({6, 7})), "day_of_week"),
        (Conditions(hours=HourWindow(11, 20)), "hour"),
        (Conditions(categories=frozenset({"hats"})), "no_matching_lines"),
        (Conditions(skus=frozenset({"HAT-1"})), "no_matching_lines"),
    ],
)
def test_a_purchase_that_misses_a_condition_is_skipped_with_its_name(
    conditions: Conditions, reason: str
) -> None:
    assert reasons(replace(BONUS, conditions=conditions)) == [reason]


@pytest.mark.parametrize(
    "conditions",
    [
        Conditions(channels=frozenset({"pos", "app"})),
        Conditions(store_ids=frozenset({"S001"})),
        Conditions(tiers=frozenset({"gold"})),
        Conditions(min_total=Decimal("398.00")),
        Conditions(min_days_since_enrolment=30),
        Conditions(in_birthday_month=True),
        Conditions(days_of_week=frozenset({3})),
        Conditions(hours=HourWindow(10, 11)),
        Conditions(hours=HourWindow(22, 11)),
        Conditions(skus=frozenset({"SOCK-2"})),
        Conditions(first_purchase_only=True),
    ],
)
def test_a_purchase_that_meets_a_condition_applies(conditions: Conditions) -> None:
    assert points([replace(BONUS, conditions=conditions)]) == [50]


def test_day_and_hour_are_read_in_the_tenants_time_zone_not_utc() -> None:
    # 02:15 UTC is 10:15 in Shanghai and still 21:15 on Tuesday in New York
    in_new_york = replace(PURCHASE, tz=ZoneInfo("America/New_York"))
    weekday_morning = replace(
        BONUS, conditions=Conditions(days_of_week=frozenset({3}), hours=HourWindow(9, 12))
    )
    assert points([weekday_morning]) == [50]
    assert reasons(weekday_morning, in_new_york) == ["day_of_week"]


def test_the_birthday_month_is_the_members_month_of_birth() -> None:
    birthday = replace(BONUS, conditions=Conditions(in_birthday_month=True))
    other_month = replace(PURCHASE, member=replace(MEMBER, birth_month=3))
    unknown = replace(PURCHASE, member=replace(MEMBER, birth_month=None))
    assert reasons(birthday, other_month) == reasons(birthday, unknown) == ["birthday_month"]


def test_a_member_without_a_known_enrolment_does_not_meet_days_since_enrolment() -> None:
    loyal = replace(BONUS, conditions=Conditions(min_days_since_enrolment=1))
    assert reasons(loyal, replace(PURCHASE, member=replace(MEMBER, enrolled_at=None))) == [
        "days_since_enrolment"
    ]


def test_a_first_purchase_campaign_skips_a_returning_member() -> None:
    first = replace(BONUS, conditions=Conditions(first_purchase_only=True))
    returning = replace(PURCHASE, member=replace(MEMBER, first_purchase=False))
    assert reasons(first, returning) == ["first_purchase_only"]


def test_a_campaign_outside_its_schedule_is_skipped() -> None:
    assert reasons(replace(BONUS, starts_at=AT + timedelta(seconds=1))) == ["not_started"]
    assert reasons(replace(BONUS, ends_at=AT)) == ["ended"]


def test_a_campaign_with_no_budget_left_is_skipped() -> None:
    assert reasons(replace(BONUS, limits=Limits(budget_points=0))) == ["budget_exhausted"]


def test_holdout_is_deterministic_per_campaign_and_member_and_near_its_percentage() -> None:
    tenth = replace(BONUS, holdout_percent=10)
    out = [held_out(tenth, f"m{i}") for i in range(2000)]
    assert out == [held_out(tenth, f"m{i}") for i in range(2000)]
    assert 140 < sum(out) < 260
    assert not any(held_out(replace(tenth, holdout_percent=0), f"m{i}") for i in range(200))


def test_a_held_out_member_gets_nothing_and_the_reason_says_holdout() -> None:
    everyone_out = replace(BONUS, holdout_percent=100)
    assert reasons(everyone_out) == ["holdout"]


def test_campaigns_stack_in_priority_order() -> None:
    first = replace(BONUS, campaign_id="c-z", priority=9)
    outcome = evaluate([DOUBLE, first], PURCHASE)
    assert [a.campaign_id for a in outcome.applied] == ["c-z", "c-double"]
    assert outcome.bonus_points == 349


def test_an_exclusive_campaign_that_applies_stops_the_lower_priority_ones() -> None:
    exclusive = replace(BONUS, priority=5, exclusive=True)
    outcome = evaluate([DOUBLE, exclusive], PURCHASE)
    assert [a.campaign_id for a in outcome.applied] == ["c-bonus"]
    assert [(s.campaign_id, s.reason) for s in outcome.skipped] == [
        ("c-double", "excluded_by:c-bonus")
    ]


def test_an_exclusive_campaign_below_one_that_applied_is_skipped_and_says_why() -> None:
    exclusive = replace(BONUS, priority=-1, exclusive=True)
    outcome = evaluate([DOUBLE, exclusive], PURCHASE)
    assert [a.campaign_id for a in outcome.applied] == ["c-double"]
    assert [s.reason for s in outcome.skipped] == ["exclusive_but_others_applied"]


def test_an_exclusive_campaign_that_does_not_apply_leaves_the_others_stacking() -> None:
    exclusive = replace(
        BONUS, priority=5, exclusive=True, conditions=Conditions(tiers=frozenset({"x"}))
    )
    assert [a.campaign_id for a in evaluate([DOUBLE, exclusive], PURCHASE).applied] == ["c-double"]
