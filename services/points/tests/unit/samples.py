"""Small builders shared by the unit tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.points.domain import redemptions
from services.points.domain.accrual import Accrual, EarningLine, Source
from services.points.domain.balances import Balance
from services.points.domain.lots import Lot
from services.points.domain.redemptions import Redemption
from services.points.domain.wallet import Wallet


def an_accrual(points: int, order_id: str = "o-1") -> Accrual:
    return Accrual(
        order_id,
        "m1",
        points,
        (EarningLine(Source.BASE, points, "1 point per CNY 1"),),
        False,
        Balance(available=points),
    )


NOW = datetime(2026, 6, 1, tzinfo=UTC)


def lot(lot_id: str, points: int, expires_in_days: int | None) -> Lot:
    expires = NOW + timedelta(days=expires_in_days) if expires_in_days is not None else None
    return Lot(lot_id, f"o-{lot_id}", points, points, NOW - timedelta(days=1), expires)


def wallet(*lots: Lot) -> Wallet:
    return Wallet("demo", "m1", lots=list(lots))


def hold(w: Wallet, points: int, minutes: int = 15) -> Redemption:
    return redemptions.hold(
        w,
        redemption_id="r1",
        points=points,
        order_id="",
        channel="pos",
        store_id="S001",
        duration=timedelta(minutes=minutes),
        now=NOW,
    )


def remaining(w: Wallet) -> dict[str, int]:
    return {lot.lot_id: lot.remaining for lot in sorted(w.lots, key=lambda x: x.lot_id)}
