"""A segment's upper bounds (not bought lately, at most so many orders, at most so much
spend) and its profiling consent, each at its boundary (the bounds an RFM cell needs; that
a cell's bounds hold exactly its scores is libs/tests/unit/test_rfm_scores.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from libs.errors import InvalidArgument
from services.campaign.campaigns.domain.history import MemberFacts
from services.campaign.campaigns.domain.segments import (
    SegmentRules,
    WindowStats,
    matches,
    validate,
)

pytestmark = pytest.mark.unit

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def bought(days_ago: float, consents: dict[str, bool] | None = None) -> MemberFacts:
    return MemberFacts(
        "t1",
        "m1",
        consents=consents or {},
        last_purchase_at=NOW - timedelta(days=days_ago),
    )


@pytest.mark.parametrize(
    ("days_ago", "expected"),
    [(0, False), (6.99, False), (7, False), (7.01, True), (30, True), (400, True)],
)
def test_not_bought_within_the_last_days_holds_only_older_purchases(
    days_ago: float, expected: bool
) -> None:
    rules = SegmentRules(min_days_since_purchase=7)
    assert matches(rules, bought(days_ago), WindowStats(), NOW) is expected


def test_a_member_who_never_bought_has_not_bought_lately() -> None:
    rules = SegmentRules(min_days_since_purchase=7)
    assert matches(rules, MemberFacts("t1", "m1"), WindowStats(), NOW)


@pytest.mark.parametrize(
    ("days_ago", "expected"),
    [(7, False), (7.01, True), (29.99, True), (30, True), (30.01, False)],
)
def test_a_recency_band_holds_purchases_between_its_two_bounds(
    days_ago: float, expected: bool
) -> None:
    rules = SegmentRules(recency_days=30, min_days_since_purchase=7)
    assert matches(rules, bought(days_ago), WindowStats(), NOW) is expected


@pytest.mark.parametrize(
    ("orders", "expected"), [(0, False), (2, False), (3, True), (4, True), (5, False)]
)
def test_orders_in_the_window_are_bounded_on_both_sides(orders: int, expected: bool) -> None:
    rules = SegmentRules(window_days=365, min_orders=3, max_orders=4)
    assert matches(rules, bought(1), WindowStats(orders, 0), NOW) is expected


@pytest.mark.parametrize(
    ("cents", "expected"),
    [(9_999, False), (10_000, True), (29_999, True), (30_000, False)],
)
def test_spend_in_the_window_is_bounded_on_both_sides_inclusive(cents: int, expected: bool) -> None:
    rules = SegmentRules(window_days=365, min_spend=Decimal("100"), max_spend=Decimal("299.99"))
    assert matches(rules, bought(1), WindowStats(1, cents), NOW) is expected


@pytest.mark.parametrize(
    ("consents", "expected"),
    [
        ({}, True),
        ({"profiling": True}, True),
        ({"marketing": False}, True),
        ({"profiling": False, "marketing": True}, False),
    ],
)
def test_a_profiling_segment_leaves_out_only_members_who_refused_profiling(
    consents: dict[str, bool], expected: bool
) -> None:
    rules = SegmentRules(profiling_consent=True)
    assert matches(rules, bought(1, consents), WindowStats(), NOW) is expected
    assert matches(replace(rules, profiling_consent=False), bought(1, consents), WindowStats(), NOW)


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        (SegmentRules(max_orders=4), "rules.window_days"),
        (SegmentRules(max_spend=Decimal("10")), "rules.window_days"),
        (SegmentRules(min_days_since_purchase=0), "rules.min_days_since_purchase"),
        (SegmentRules(min_days_since_purchase=3661), "rules.min_days_since_purchase"),
        (SegmentRules(window_days=30, max_orders=-1), "rules.max_orders"),
        (SegmentRules(window_days=30, max_spend=Decimal("-0.01")), "rules.max_spend"),
        (SegmentRules(window_days=30, max_spend=Decimal("NaN")), "rules.max_spend"),
    ],
)
def test_upper_bounds_that_could_not_run_are_refused_naming_the_field(
    rules: SegmentRules, field: str
) -> None:
    with pytest.raises(InvalidArgument, match=field):
        validate("RFM R5 F4 M3", rules)
