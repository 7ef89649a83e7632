"""The RFM grid's arithmetic: each score's boundaries, and a member placed by the range."""

from __future__ import annotations

import pytest

from services.analytics.domain.rfm import (
    RfmCell,
    RfmMember,
    frequency_score,
    monetary_score,
    recency_score,
    rfm,
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


def test_only_the_ranges_orders_and_returns_count_and_a_member_without_one_is_in_no_cell() -> None:
    bought = RfmMember(
        orders={"2026-10-31": 4, "2026-11-20": 1, "2026-12-01": 9},
        gross={"2026-10-31": 500_00, "2026-11-20": 150_00, "2026-12-01": 1},
        returned={"2026-10-31": 10_00, "2026-11-21": 60_00},
    )
    before_only = RfmMember(orders={"2026-10-01": 1}, gross={"2026-10-01": 10_00}, returned={})

    cells = rfm([bought, before_only], "2026-11-01", "2026-11-30")

    assert cells == [RfmCell(recency=4, frequency=1, monetary=1, members=1, net=90_00)]
