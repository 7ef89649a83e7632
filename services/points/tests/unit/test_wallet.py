"""Spending, cancelling, returning and expiring against the lots of a wallet."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from libs.errors import FailedPrecondition, InvalidArgument
from services.points.domain import redemptions
from services.points.domain.errors import InsufficientPoints
from services.points.domain.expiry import expire_lots
from services.points.domain.ledger import EntryType
from services.points.domain.lots import Lot
from services.points.domain.pricing import PricedLine
from services.points.domain.records import OrderRecord
from services.points.domain.redemptions import Redemption, RedemptionStatus
from services.points.domain.returns import ReturnRequest, parse_return, reverse
from services.points.domain.wallet import Wallet
from services.points.tests.unit.samples import an_accrual

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


def test_spending_takes_the_soonest_expiring_lots_first_and_never_expiring_last() -> None:
    w = wallet(lot("forever", 100, None), lot("late", 100, 300), lot("soon", 50, 10))
    hold(w, 120)
    assert remaining(w) == {"forever": 100, "late": 30}
    assert (w.available, w.held) == (130, 120)


def test_a_hold_beyond_what_is_available_is_refused_and_changes_nothing() -> None:
    w = wallet(lot("a", 100, 10))
    with pytest.raises(InsufficientPoints):
        hold(w, 101)
    assert (w.available, w.held, remaining(w)) == (100, 0, {"a": 100})


def test_cancelling_a_captured_redemption_returns_the_points_to_the_same_lots() -> None:
    w = wallet(lot("soon", 50, 10), lot("late", 100, 300))
    redemption = hold(w, 80)
    redeem = redemptions.capture(w, redemption, NOW)
    assert redeem is not None
    assert (redeem.type, redeem.points, w.held) == (EntryType.REDEEM, -80, 0)
    assert remaining(w) == {"late": 70}
    cancel = redemptions.cancel(w, redemption, NOW)
    assert cancel is not None
    assert (cancel.type, cancel.points) == (EntryType.REDEEM_CANCEL, 80)
    assert remaining(w) == {"late": 100, "soon": 50}
    assert redemption.status is RedemptionStatus.REVERSED
    assert redemptions.cancel(w, redemption, NOW) is None


def test_capturing_twice_writes_one_entry_and_an_expired_hold_cannot_be_captured() -> None:
    w = wallet(lot("a", 100, 10))
    redemption = hold(w, 10)
    assert redemptions.capture(w, redemption, NOW) is not None
    assert redemptions.capture(w, redemption, NOW) is None
    late = hold(w, 10, minutes=1)
    with pytest.raises(FailedPrecondition, match="expired"):
        redemptions.capture(w, late, NOW + timedelta(minutes=2))
    assert redemptions.expire(w, late, NOW + timedelta(minutes=2))
    assert (late.status, w.available, w.held) == (RedemptionStatus.EXPIRED, 90, 0)


def test_a_hold_duration_defaults_to_fifteen_minutes_and_is_bounded() -> None:
    assert redemptions.hold_duration(0) == timedelta(seconds=900)
    with pytest.raises(InvalidArgument, match="hold_seconds"):
        redemptions.hold_duration(-1)


def test_expiry_empties_only_the_lots_whose_time_has_come() -> None:
    w = wallet(lot("soon", 50, 10), lot("late", 100, 300), lot("forever", 7, None))
    entries = expire_lots(w, NOW + timedelta(days=11))
    assert [(e.type, e.points, e.order_id) for e in entries] == [(EntryType.EXPIRE, -50, "o-soon")]
    assert remaining(w) == {"forever": 7, "late": 100}


def test_the_balance_lists_what_expires_in_the_next_thirty_days() -> None:
    w = wallet(lot("soon", 50, 10), lot("also", 5, 10), lot("late", 100, 300))
    balance = w.balance(NOW)
    assert [(e.points, e.expires_at) for e in balance.expiring] == [(55, NOW + timedelta(days=10))]


def order_record(points: int, lot_id: str) -> OrderRecord:
    lines = (
        PricedLine("SHOE-1", "shoes", 1, Decimal("299.00"), 299),
        PricedLine("SOCK-2", "accessories", 2, Decimal("99.00"), 99),
    )
    return OrderRecord(
        tenant_id="demo",
        order_id="o-1",
        member_id="m1",
        fingerprint="f",
        currency="CNY",
        total=Decimal("398.00"),
        lines=lines,
        lot_ids=(lot_id,),
        answer=an_accrual(points),
        created_at=NOW,
    )


def test_a_return_reverses_in_proportion_to_the_points_of_the_returned_lines() -> None:
    w = wallet(lot("o1", 398, 300))
    order = order_record(398, "o1")
    entry = reverse(w, order, ReturnRequest("ret-1", lines=(("SOCK-2", 1),)), NOW)
    assert entry is not None
    assert (entry.type, entry.points, entry.reason) == (
        EntryType.REVERSE,
        -49,
        "returned 1 \N{MULTIPLICATION SIGN} SOCK-2",
    )
    rest = reverse(w, order, ReturnRequest("ret-2", lines=(("SOCK-2", 5), ("SHOE-1", 1))), NOW)
    assert rest is not None
    assert rest.points == -349
    assert reverse(w, order, ReturnRequest("ret-3", amount=Decimal("10")), NOW) is None
    assert (w.available, order.reversed_points) == (0, 398)


def test_a_return_of_points_already_spent_leaves_a_debt_that_blocks_redemption() -> None:
    w = wallet(lot("o1", 398, 300), lot("other", 100, 200))
    hold(w, 450)
    entry = reverse(w, order_record(398, "o1"), ReturnRequest("r", amount=Decimal(398)), NOW)
    assert entry is not None
    assert entry.points == -398
    assert (w.available, w.held, w.debt) == (-350, 450, 350)
    with pytest.raises(InsufficientPoints):
        hold(w, 1)
    w.add_lot(lot("new", 400, 300))
    assert (w.available, w.debt, remaining(w)) == (50, 0, {"new": 50})


def test_a_return_names_skus_of_the_order_and_either_lines_or_an_amount() -> None:
    with pytest.raises(InvalidArgument, match=r"lines\[0\].sku"):
        reverse(wallet(), order_record(10, "x"), ReturnRequest("r", lines=(("HAT", 1),)), NOW)
    with pytest.raises(InvalidArgument, match="amount"):
        parse_return("r", [("SHOE-1", 1)], "10")
    with pytest.raises(InvalidArgument, match="lines"):
        parse_return("r", [], "")
    with pytest.raises(InvalidArgument, match=r"lines\[0\].quantity"):
        parse_return("r", [("SHOE-1", 0)], "")
