"""The compiled rules engine answers exactly what the interpreted one answered (the
reference in tests/reference_engine.py): the same grants and the same skip reasons, in the
same order, for random campaigns and purchases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from services.campaign.campaigns.domain.engine import CompiledRules, RuleBooks, evaluate
from services.campaign.campaigns.domain.facts import Line, Member, Purchase
from services.campaign.campaigns.domain.rules import (
    Campaign,
    Conditions,
    Effect,
    EffectType,
    HourWindow,
    Limits,
)
from services.campaign.tests import reference_engine

AT = datetime(2026, 11, 25, 2, 15, tzinfo=UTC)
ZONES = [UTC, ZoneInfo("Asia/Shanghai"), ZoneInfo("America/New_York")]


def subsets(*values: str) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(values))


def moments(hours: int) -> st.SearchStrategy[datetime]:
    return st.integers(-hours * 60, hours * 60).map(lambda m: AT + timedelta(minutes=m))


conditions = st.builds(
    Conditions,
    channels=subsets("pos", "app", "web"),
    store_ids=subsets("S1", "S2", "S3"),
    categories=subsets("shoes", "socks", "hats"),
    skus=subsets("A", "B", "C"),
    min_total=st.none() | st.sampled_from(["0", "50", "50.00", "99.99", "150"]).map(Decimal),
    tiers=subsets("gold", "silver", ""),
    min_days_since_enrolment=st.none() | st.integers(0, 60),
    in_birthday_month=st.booleans(),
    days_of_week=st.frozensets(st.integers(1, 7)),
    hours=st.none() | st.builds(HourWindow, st.integers(0, 24), st.integers(0, 24)),
    first_purchase_only=st.booleans(),
    segment_id=st.sampled_from(["", "seg-a", "seg-b"]),
)
effects = st.one_of(
    st.builds(
        Effect,
        st.just(EffectType.MULTIPLIER),
        factor=st.sampled_from(["0.5", "1", "1.5", "2", "3.25"]).map(Decimal),
    ),
    st.builds(Effect, st.just(EffectType.BONUS_POINTS), points=st.integers(-5, 100)),
    st.builds(Effect, st.just(EffectType.COUPON), template_id=st.sampled_from(["t1", "t2"])),
)


@st.composite
def campaign_sets(draw: st.DrawFn) -> list[Campaign]:
    ids = draw(st.lists(st.integers(0, 99), unique=True, max_size=12))
    return [
        Campaign(
            f"c-{n:02}",
            f"campaign {n}",
            draw(st.integers(1, 3)),
            draw(st.none() | moments(48)),
            draw(st.none() | moments(48)),
            draw(conditions),
            draw(effects),
            priority=draw(st.integers(0, 3)),
            exclusive=draw(st.booleans()),
            holdout_percent=draw(st.sampled_from([0, 0, 30, 100])),
            limits=Limits(budget_points=draw(st.sampled_from([None, None, 0, 500]))),
        )
        for n in ids
    ]


lines = st.builds(
    Line,
    sku=st.sampled_from(["A", "B", "C", "D"]),
    category=st.sampled_from(["shoes", "socks", "hats", "bags"]),
    quantity=st.just(1),
    amount=st.integers(0, 30000).map(lambda cents: Decimal(cents) / 100),
    base_points=st.integers(0, 300),
)
members = st.builds(
    Member,
    member_id=st.sampled_from(["m1", "m2", "m3", "m4"]),
    tier_code=st.sampled_from(["", "gold", "silver", "bronze"]),
    enrolled_at=st.none() | moments(24 * 90),
    birth_month=st.none() | st.integers(1, 12),
    first_purchase=st.booleans(),
    segments=subsets("seg-a", "seg-b", "seg-c"),
    marketing_consent=st.booleans(),
)
purchases = st.builds(
    Purchase,
    member=members,
    channel=st.sampled_from(["pos", "app", "web", "kiosk"]),
    store_id=st.sampled_from(["S1", "S2", "S4"]),
    occurred_at=moments(50),
    total=st.integers(0, 30000).map(lambda cents: Decimal(cents) / 100),
    lines=st.lists(lines, max_size=4).map(tuple),
    tz=st.sampled_from(ZONES),
)


@settings(max_examples=400, deadline=None)
@given(campaign_sets(), purchases)
def test_the_compiled_engine_grants_and_skips_exactly_as_the_interpreted_one(
    campaigns: list[Campaign], purchase: Purchase
) -> None:
    assert evaluate(campaigns, purchase) == reference_engine.evaluate(campaigns, purchase)


@settings(max_examples=100, deadline=None)
@given(campaign_sets(), st.lists(purchases, min_size=2, max_size=8))
def test_one_compiled_set_answers_each_of_many_orders_as_if_it_were_the_only_one(
    campaigns: list[Campaign], orders: list[Purchase]
) -> None:
    compiled = CompiledRules(campaigns)
    assert [compiled.evaluate(p) for p in orders] == [
        reference_engine.evaluate(campaigns, p) for p in orders
    ]


def test_a_tenants_campaigns_are_compiled_again_only_when_its_list_is_a_new_one() -> None:
    bonus = Campaign("c-1", "bonus", 1, None, None, Conditions(), Effect(EffectType.BONUS_POINTS))
    books, first, second = RuleBooks(), [bonus], [bonus]
    compiled = books.of("t1", first)
    assert books.of("t1", first) is compiled
    assert books.of("t1", second) is not compiled
    assert books.of("t2", second) is not books.of("t1", second)
