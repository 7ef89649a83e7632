"""Report arithmetic: tiers over time, breakage, values, expiry windows, ranges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from services.analytics.domain.days import day_range
from services.analytics.domain.errors import BadPointValue, BadRange
from services.analytics.domain.facts import Lot
from services.analytics.domain.reports import (
    TierDay,
    average,
    breakage_rate,
    expiring_within,
    money,
    parse_point_value,
    points_value,
    tier_series,
)


def test_members_by_tier_carry_the_count_from_before_the_range_and_add_each_days_moves() -> None:
    days = ["2026-03-01", "2026-03-02"]
    moves = {("2026-03-02", "member"): -1, ("2026-03-02", "gold"): 1}

    series = tier_series(days, {"member": 3}, moves)

    assert series == [
        TierDay("2026-03-01", "gold", 0),
        TierDay("2026-03-01", "member", 3),
        TierDay("2026-03-02", "gold", 1),
        TierDay("2026-03-02", "member", 2),
    ]


def test_a_tier_nobody_was_in_over_the_range_is_left_out() -> None:
    assert tier_series(["2026-03-01"], {"gold": 0, "member": 1}, {}) == [
        TierDay("2026-03-01", "member", 1)
    ]


def test_breakage_is_expired_over_issued_with_four_places() -> None:
    assert breakage_rate(300, 100) == "0.3333"
    assert breakage_rate(0, 5) == ""


def test_money_and_averages_are_decimal_strings_of_cents() -> None:
    assert money(9999) == "99.99"
    assert money(-150) == "-1.50"
    assert average(10000, 3) == "33.33"
    assert average(100, 0) == ""


def test_points_are_worth_the_tenants_point_value() -> None:
    assert points_value(1234, Decimal("0.01")) == "12.34"
    assert points_value(1234, None) == ""
    assert parse_point_value("0.005") == Decimal("0.005")
    assert parse_point_value("") is None
    for bad in ("-1", "abc", "NaN", "0.0000001"):
        with pytest.raises(BadPointValue):
            parse_point_value(bad)


def test_points_expiring_within_a_window_count_lots_after_now_and_up_to_its_end() -> None:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    lots = [Lot(10, now), Lot(20, now + timedelta(days=30)), Lot(40, now + timedelta(days=31))]

    assert expiring_within(lots, now, 30) == 20
    assert expiring_within(lots, now, 60) == 60


def test_a_range_is_every_day_both_ends_included_and_never_backwards() -> None:
    assert day_range("2026-02-27", "2026-03-01") == ["2026-02-27", "2026-02-28", "2026-03-01"]
    with pytest.raises(BadRange):
        day_range("2026-03-02", "2026-03-01")
    with pytest.raises(BadRange):
        day_range("2026-3-1", "tomorrow")
    with pytest.raises(BadRange):
        day_range("2024-01-01", "2026-03-01")
