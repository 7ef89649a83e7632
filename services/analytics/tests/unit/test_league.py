"""The campaign league table: a row per campaign that rewarded someone, its cost at the
point value, and the orders it can be sorted in."""

from __future__ import annotations

from decimal import Decimal

import pytest

from libs.errors import InvalidArgument
from libs.holdout import held_out
from services.analytics.domain.league import (
    LeagueRow,
    audience_spend,
    compare,
    league,
    segment_audience,
    survivor,
)

pytestmark = pytest.mark.unit

GRANTED = {"big": (5000, 10), "wide": (900, 30), "none": (0, 0)}
REACHED = {"big": 4, "wide": 25}
TRIGGERS = {"big": "purchase", "wide": "inactivity"}


def test_each_campaign_that_rewarded_has_a_row_with_its_cost_at_the_point_value() -> None:
    rows = league(GRANTED, REACHED, TRIGGERS, Decimal("0.01"))

    assert rows == [
        LeagueRow("big", "purchase", 4, 10, 5000, 5000),
        LeagueRow("wide", "inactivity", 25, 30, 900, 900),
    ]


def test_without_a_point_value_there_is_no_cost() -> None:
    rows = league(GRANTED, REACHED, {}, None)

    assert [(r.trigger, r.cost_cents) for r in rows] == [("", None), ("", None)]


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("points", ["big", "wide"]),
        ("cost", ["big", "wide"]),
        ("reached", ["wide", "big"]),
        ("grants", ["wide", "big"]),
        ("campaign_id", ["big", "wide"]),
    ],
)
def test_the_table_sorts_largest_first_by_the_figure_asked(sort: str, order: list[str]) -> None:
    assert [r.campaign_id for r in league(GRANTED, REACHED, TRIGGERS, None, sort)] == order


def test_a_sort_that_is_no_figure_is_refused() -> None:
    with pytest.raises(InvalidArgument):
        league(GRANTED, REACHED, TRIGGERS, None, "name")


def test_a_holdout_comparison_splits_every_member_by_the_campaigns_hash() -> None:
    ids = [f"m{n}" for n in range(40)]
    out = [m for m in ids if held_out("c1", m, 50)][:2]
    kept = [m for m in ids if not held_out("c1", m, 50)][:2]
    spend = {kept[0]: 100_00, kept[1]: 300_00, out[0]: 50_00, out[1]: 150_00}

    found = compare("c1", 50, spend, ("2026-11-01", "2026-11-30"), cost=200)

    assert (found.targeted, found.held_out) == (2, 2)
    assert found.uplift is not None
    # means 200 and 100; Welch: df 1.47 -> t 12.706, margin 12.706 x sqrt(12500) = 1420.57
    assert (found.uplift.difference, found.uplift.low, found.uplift.high) == (
        Decimal("100.00"),
        Decimal("-1320.57"),
        Decimal("1520.57"),
    )
    assert found.incremental_sales == Decimal("200.00")
    assert found.cost_per_incremental == Decimal("0.0100")  # 2.00 of points for 200.00


def test_no_comparison_figures_without_two_members_in_each_group() -> None:
    found = compare("c1", 100, {"a": 10_00}, ("2026-11-01", "2026-11-30"), cost=100)

    assert (found.targeted, found.held_out, found.uplift) == (0, 1, None)
    assert (found.incremental_sales, found.cost_per_incremental) == (None, None)


def test_a_merged_member_is_its_last_survivor_and_a_cycle_of_merges_stops() -> None:
    merged = {"a": "b", "b": "c", "x": "y", "y": "x"}

    assert [survivor(m, merged) for m in ("a", "b", "c", "z")] == ["c", "c", "c", "z"]
    assert survivor("x", merged) == "y"


def test_a_segments_audience_counts_a_merged_member_once_in_its_survivor() -> None:
    found = segment_audience(["a", "e", "b"], {"e": "a"}, frozenset({"b"}), profiling=False)

    assert found == frozenset({"a", "b"})  # b refused, but the segment is no profiling one


def test_a_profiling_segment_leaves_out_who_refused_profiling_merged_ones_too() -> None:
    found = segment_audience(["a", "b", "e"], {"e": "b"}, frozenset({"b"}), profiling=True)

    assert found == frozenset({"a"})


def test_a_segment_campaign_compares_its_members_only_worked_out_by_hand() -> None:
    # For c1 at 50%: m0, m2, m4 are targeted, m1, m3 held out (libs/holdout.py).
    spend = {"m0": 400_00, "m2": 800_00, "m1": 100_00, "m3": 300_00, "m8": 9_999_00}
    members = segment_audience(
        ["m0", "m2", "m4", "m1", "m3", "m6", "m9"],
        merged_into={"m6": "m4"},  # m6 counts in m4, once
        refusing=frozenset({"m9"}),
        profiling=True,
    )

    found = compare("c1", 50, audience_spend(members, spend), ("2026-11-01", "2026-11-30"), 300)

    # m8 bought but is no segment member; m4 bought nothing: 0
    assert (found.targeted, found.held_out) == (3, 2)
    assert found.uplift is not None
    # targeted 400, 800, 0: mean 400, variance 160000; held out 100, 300: mean 200,
    # variance 20000. Difference 200.00; Welch: spread 160000/3 + 20000/2 = 63333.33,
    # df = 63333.33^2 / (53333.33^2 / 2 + 10000^2) = 2.64 -> t(2) 4.303,
    # margin 4.303 x sqrt(63333.33) = 1082.90
    assert (found.uplift.difference, found.uplift.low, found.uplift.high) == (
        Decimal("200.00"),
        Decimal("-882.90"),
        Decimal("1282.90"),
    )
    # 200.00 x 3 targeted = 600.00; 3.00 of points / 600.00
    assert (found.incremental_sales, found.cost_per_incremental) == (
        Decimal("600.00"),
        Decimal("0.0050"),
    )
