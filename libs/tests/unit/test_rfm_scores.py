"""The RFM grid's score boundaries, and a cell's scores turned into a segment's bounds:
consecutive cells meet at every boundary without a gap or an overlap."""

from __future__ import annotations

import pytest

from libs.rfm_scores import (
    CellRules,
    cell_rules,
    frequency_score,
    monetary_score,
    recency_score,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("days", "score"),
    [(0, 5), (7, 5), (8, 4), (30, 4), (31, 3), (90, 3), (91, 2), (180, 2), (181, 1)],
)
def test_recency_scores_by_days_since_the_last_purchase(days: int, score: int) -> None:
    assert recency_score(days) == score


@pytest.mark.parametrize(
    ("orders", "score"), [(1, 1), (2, 2), (3, 3), (4, 3), (5, 4), (9, 4), (10, 5)]
)
def test_frequency_scores_by_orders(orders: int, score: int) -> None:
    assert frequency_score(orders) == score


@pytest.mark.parametrize(
    ("cents", "score"),
    [
        (-500, 1),
        (9_999, 1),
        (10_000, 2),
        (29_999, 2),
        (30_000, 3),
        (99_999, 3),
        (100_000, 4),
        (299_999, 4),
        (300_000, 5),
    ],
)
def test_monetary_scores_by_net_spend(cents: int, score: int) -> None:
    assert monetary_score(cents) == score


def _holds(rules: CellRules, days: int, orders: int, cents: int) -> bool:
    """Whether a member `days` whole days since their last purchase, with `orders` and
    `cents` in the window, is within the bounds (as the segments read them)."""
    return (
        (rules.recency_days is None or days <= rules.recency_days)
        and (rules.min_days_since_purchase is None or days > rules.min_days_since_purchase)
        and rules.min_orders <= orders
        and (rules.max_orders is None or orders <= rules.max_orders)
        and (rules.min_spend_cents is None or cents >= rules.min_spend_cents)
        and (rules.max_spend_cents is None or cents <= rules.max_spend_cents)
    )


def test_the_best_cell_is_open_above_and_the_worst_open_below() -> None:
    assert cell_rules(5, 5, 5, 365) == CellRules(
        window_days=365,
        recency_days=7,
        min_days_since_purchase=None,
        min_orders=10,
        max_orders=None,
        min_spend_cents=300_000,
        max_spend_cents=None,
    )
    assert cell_rules(1, 1, 1, 30) == CellRules(
        window_days=30,
        recency_days=None,
        min_days_since_purchase=180,
        min_orders=1,
        max_orders=1,
        min_spend_cents=None,
        max_spend_cents=9_999,
    )


def test_a_middle_cell_is_bounded_on_both_sides() -> None:
    assert cell_rules(4, 3, 2, 365) == CellRules(
        window_days=365,
        recency_days=30,
        min_days_since_purchase=7,
        min_orders=3,
        max_orders=4,
        min_spend_cents=10_000,
        max_spend_cents=29_999,
    )


@pytest.mark.parametrize(
    ("days", "orders", "cents"),
    [
        (d, o, c)
        for d in (0, 7, 8, 30, 31, 90, 91, 180, 181, 400)
        for o in (1, 2, 3, 4, 5, 9, 10, 50)
        for c in (0, 9_999, 10_000, 29_999, 30_000, 99_999, 100_000, 299_999, 300_000)
    ],
)
def test_every_member_at_a_boundary_is_in_exactly_the_cell_the_report_scores(
    days: int, orders: int, cents: int
) -> None:
    scored = (recency_score(days), frequency_score(orders), monetary_score(cents))
    holding = [
        (r, f, m)
        for r in range(1, 6)
        for f in range(1, 6)
        for m in range(1, 6)
        if _holds(cell_rules(r, f, m, 365), days, orders, cents)
    ]
    assert holding == [scored]


@pytest.mark.parametrize(
    ("recency", "frequency", "monetary", "window"), [(0, 1, 1, 30), (1, 6, 1, 30), (1, 1, 1, 0)]
)
def test_a_score_outside_one_to_five_or_an_empty_window_is_refused(
    recency: int, frequency: int, monetary: int, window: int
) -> None:
    with pytest.raises(ValueError, match=r"score from 1 to 5|window_days"):
        cell_rules(recency, frequency, monetary, window)
