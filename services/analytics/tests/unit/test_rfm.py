"""The RFM grid's arithmetic: a member placed by the range (the scores' boundaries are
libs/rfm_scores.py's)."""

from __future__ import annotations

import pytest

from services.analytics.domain.rfm import RfmCell, RfmMember, rfm

pytestmark = pytest.mark.unit


def test_only_the_ranges_orders_and_returns_count_and_a_member_without_one_is_in_no_cell() -> None:
    bought = RfmMember(
        orders={"2026-10-31": 4, "2026-11-20": 1, "2026-12-01": 9},
        gross={"2026-10-31": 500_00, "2026-11-20": 150_00, "2026-12-01": 1},
        returned={"2026-10-31": 10_00, "2026-11-21": 60_00},
    )
    before_only = RfmMember(orders={"2026-10-01": 1}, gross={"2026-10-01": 10_00}, returned={})

    cells = rfm([bought, before_only], "2026-11-01", "2026-11-30")

    assert cells == [RfmCell(recency=4, frequency=1, monetary=1, members=1, net=90_00)]
