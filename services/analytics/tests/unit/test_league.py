"""The campaign league table: a row per campaign that rewarded someone, its cost at the
point value, and the orders it can be sorted in."""

from __future__ import annotations

from decimal import Decimal

import pytest

from libs.errors import InvalidArgument
from libs.holdout import held_out
from services.analytics.domain.league import LeagueRow, compare, league

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
