"""Segment rules and RFM, the holdout split and Welch's uplift interval."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from libs.errors import InvalidArgument
from libs.uplift import t_quantile, welch_uplift
from services.campaign.campaigns.domain.history import MemberFacts, returned_share, to_cents
from services.campaign.campaigns.domain.segments import SegmentRules, WindowStats, matches, validate

NOW = datetime(2026, 11, 25, tzinfo=UTC)
FACTS = MemberFacts(
    "t1",
    "m1",
    tier_code="gold",
    channel="pos",
    store_id="S001",
    consents={"marketing": True},
    last_purchase_at=NOW - timedelta(days=10),
)


def test_a_segment_without_rules_holds_every_member() -> None:
    assert matches(SegmentRules(), MemberFacts("t1", "m2"), WindowStats(), NOW)


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        (SegmentRules(tiers=frozenset({"gold", "silver"})), True),
        (SegmentRules(tiers=frozenset({"silver"})), False),
        (SegmentRules(channels=frozenset({"ecommerce"})), False),
        (SegmentRules(store_ids=frozenset({"S001"})), True),
        (SegmentRules(recency_days=10), True),
        (SegmentRules(recency_days=9), False),
    ],
)
def test_tier_channel_store_and_recency_each_narrow_the_segment(
    rules: SegmentRules, expected: bool
) -> None:
    assert matches(rules, FACTS, WindowStats(), NOW) is expected


def test_a_consent_segment_leaves_out_members_who_did_not_consent() -> None:
    rules = SegmentRules(marketing_consent=True)
    assert matches(rules, FACTS, WindowStats(), NOW)
    assert not matches(rules, replace(FACTS, consents={"marketing": False}), WindowStats(), NOW)
    assert not matches(rules, replace(FACTS, consents={}), WindowStats(), NOW)


def test_frequency_and_monetary_value_count_within_the_window_only() -> None:
    rules = SegmentRules(window_days=90, min_orders=3, min_spend=Decimal("500.00"))
    assert matches(rules, FACTS, WindowStats(orders=3, spend_cents=50000), NOW)
    assert not matches(rules, FACTS, WindowStats(orders=2, spend_cents=90000), NOW)
    assert not matches(rules, FACTS, WindowStats(orders=5, spend_cents=49999), NOW)


def test_a_member_who_never_bought_is_not_recent() -> None:
    assert not matches(
        SegmentRules(recency_days=365), replace(FACTS, last_purchase_at=None), WindowStats(), NOW
    )


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        (SegmentRules(min_orders=2), "rules.window_days"),
        (SegmentRules(window_days=0), "rules.window_days"),
        (SegmentRules(recency_days=-1), "rules.recency_days"),
        (SegmentRules(window_days=30, min_orders=0), "rules.min_orders"),
        (SegmentRules(window_days=30, min_spend=Decimal("-1")), "rules.min_spend"),
    ],
)
def test_rules_that_could_not_run_are_refused_naming_the_field(
    rules: SegmentRules, field: str
) -> None:
    with pytest.raises(InvalidArgument, match=field):
        validate("VIP", rules)


def test_a_segment_needs_a_name() -> None:
    with pytest.raises(InvalidArgument, match="name"):
        validate("  ", SegmentRules())


def test_a_return_lowers_spend_in_the_proportion_of_the_points_it_took_back() -> None:
    assert (
        returned_share(
            order_points=400, total_cents=to_cents(Decimal("398.00")), points_reversed=100
        )
        == 9950
    )
    assert returned_share(400, 39800, 999) == 39800
    assert returned_share(0, 39800, 10) == 0


def test_the_t_quantile_follows_the_table_then_the_expansion() -> None:
    assert t_quantile(Decimal("2.47")) == Decimal("4.303")
    assert abs(t_quantile(Decimal("30.5")) - Decimal("2.041")) < Decimal("0.001")
    assert abs(t_quantile(Decimal(120)) - Decimal("1.980")) < Decimal("0.001")
    assert abs(t_quantile(Decimal(100000)) - Decimal("1.960")) < Decimal("0.001")


def test_welch_uplift_matches_the_interval_worked_by_hand() -> None:
    # means 20 and 12; variances 100 and 12; df = 2.47 (t = 4.303); se = sqrt(37.33)
    uplift = welch_uplift([1000, 2000, 3000], [1000, 1000, 1600])
    assert uplift is not None
    assert (uplift.difference, uplift.low, uplift.high) == (
        Decimal("8.00"),
        Decimal("-18.29"),
        Decimal("34.29"),
    )


def test_groups_without_spread_give_an_interval_of_no_width() -> None:
    uplift = welch_uplift([500, 500], [200, 200])
    assert uplift is not None
    assert (uplift.low, uplift.difference, uplift.high) == (Decimal("3.00"),) * 3


def test_no_interval_with_fewer_than_two_members_in_a_group() -> None:
    assert welch_uplift([100], [100, 200]) is None
