"""The campaign league table: a row per campaign that rewarded someone, its cost at the
point value, and the orders it can be sorted in."""

from __future__ import annotations

from decimal import Decimal

import pytest

from libs.errors import InvalidArgument
from services.analytics.domain.league import LeagueRow, league

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
