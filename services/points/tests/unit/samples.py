"""Small builders shared by the unit tests."""

from __future__ import annotations

from services.points.domain.accrual import Accrual, EarningLine, Source
from services.points.domain.balances import Balance


def an_accrual(points: int, order_id: str = "o-1") -> Accrual:
    return Accrual(
        order_id,
        "m1",
        points,
        (EarningLine(Source.BASE, points, "1 point per CNY 1"),),
        False,
        Balance(available=points),
    )
