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
    active_members,
    average,
    breakage_rate,
    expiring_within,
    issued_and_expired,
    money,
    parse_point_value,
    points_value,
    roll_up,
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


def test_rows_rolled_up_by_some_keys_sum_their_counts_sorted_by_those_keys() -> None:
    rows = [
        ({"store_id": "S2", "channel": "pos"}, {"orders": 1, "gross": 500}),
        ({"store_id": "S1", "channel": "pos"}, {"orders": 2, "gross": 700}),
        ({"store_id": "", "channel": "app"}, {"orders": 4, "gross": 100}),
    ]

    assert roll_up(rows, ("channel",)) == [
        ({"channel": "app"}, {"orders": 4, "gross": 100}),
        ({"channel": "pos"}, {"orders": 3, "gross": 1200}),
    ]
    assert roll_up(rows, ()) == [({}, {"orders": 7, "gross": 1300})]


def test_no_rows_roll_up_into_no_row_not_a_row_of_zeros() -> None:
    assert roll_up([], ()) == []
    assert roll_up([], ("tier",)) == []


def test_a_member_is_active_in_each_window_that_holds_their_last_purchase() -> None:
    last = ["2026-03-31", "2026-03-02", "2026-03-01", "2025-04-01"]

    counts = active_members(last, "2026-03-31", (30, 90, 365))

    # 30 days ending 03-31 start on 03-02; 365 days ending it start on 2025-04-01
    assert counts == {30: 2, 90: 3, 365: 4}


def test_breakage_windows_sum_the_points_of_the_days_they_hold() -> None:
    points = [
        ({"day": "2026-03-31"}, {"issued": 100, "expired": 5}),
        ({"day": "2026-03-02"}, {"issued": 10, "expired": 1}),
        ({"day": "2026-03-01"}, {"issued": 1000, "expired": 50}),
    ]

    sums = issued_and_expired(points, "2026-03-31", (30, 90))

    assert sums == {30: (110, 6), 90: (1110, 56)}
