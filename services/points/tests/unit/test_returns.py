"""Returns against an order's lots, and points pending through the return window."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from libs.errors import InvalidArgument
from services.points.domain.accrual import EarningLine, Source, credit
from services.points.domain.errors import InsufficientPoints
from services.points.domain.expiry import release_pending
from services.points.domain.ledger import EntryType
from services.points.domain.orders import Order
from services.points.domain.pricing import PricedLine
from services.points.domain.records import OrderRecord
from services.points.domain.returns import (
    CameBack,
    ReturnRequest,
    came_back,
    parse_return,
    reverse,
)
from services.points.tests.unit.samples import NOW, an_accrual, hold, lot, remaining, wallet


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
    points, entry, _ = reverse(w, order, ReturnRequest("ret-1", lines=(("SOCK-2", 1),)), NOW)
    assert entry is not None
    assert points == 49
    assert (entry.type, entry.points, entry.reason) == (
        EntryType.REVERSE,
        -49,
        "returned 1 \N{MULTIPLICATION SIGN} SOCK-2",
    )
    _, rest, _ = reverse(
        w, order, ReturnRequest("ret-2", lines=(("SOCK-2", 5), ("SHOE-1", 1))), NOW
    )
    assert rest is not None
    assert rest.points == -349
    assert reverse(w, order, ReturnRequest("ret-3", amount=Decimal("10")), NOW) == (0, None, 0)
    assert (w.available, order.reversed_points) == (0, 398)


def test_a_return_of_points_already_spent_leaves_a_debt_that_blocks_redemption() -> None:
    w = wallet(lot("o1", 398, 300), lot("other", 100, 200))
    hold(w, 450)
    _, entry, _ = reverse(w, order_record(398, "o1"), ReturnRequest("r", amount=Decimal(398)), NOW)
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


def test_pending_points_show_in_the_balance_but_are_neither_spendable_nor_in_the_ledger() -> None:
    w = wallet(lot("a", 10, 300))
    placed = Order("demo", "o-2", "m1", "pos", "S001", NOW, "CNY", Decimal(100))
    earned = [EarningLine(Source.BASE, 100, "1 point per CNY 1")]
    entries = credit(
        w, placed, earned, lot_id="p", expires_at=None, at=NOW, release_at=NOW + timedelta(days=14)
    )
    assert entries == []
    assert (w.available, w.balance(NOW).pending, w.lifetime_earned) == (10, 100, 0)
    with pytest.raises(InsufficientPoints):
        hold(w, 11)


def test_released_pending_points_write_their_entries_including_returns_meanwhile() -> None:
    w = wallet()
    placed = Order("demo", "o-2", "m1", "pos", "S001", NOW, "CNY", Decimal(398))
    earned = [EarningLine(Source.BASE, 398, "1 point per CNY 1")]
    credit(
        w, placed, earned, lot_id="p", expires_at=None, at=NOW, release_at=NOW + timedelta(days=14)
    )
    points, entry, _ = reverse(
        w, order_record(398, "p"), ReturnRequest("r", amount=Decimal(99)), NOW
    )
    assert (points, entry, w.pending) == (99, None, 299)
    assert release_pending(w, NOW + timedelta(days=13)) == []
    released = release_pending(w, NOW + timedelta(days=14))
    assert [(e.type, e.points) for e in released] == [
        (EntryType.EARN, 398),
        (EntryType.REVERSE, -99),
    ]
    assert (w.available, w.pending, w.lifetime_earned) == (299, 0, 398)


def test_a_tenant_capping_returns_at_zero_takes_what_is_left_and_records_the_shortfall() -> None:
    w = wallet(lot("o1", 398, 300))
    hold(w, 300)
    order = order_record(398, "o1")
    points, entry, shortfall = reverse(
        w, order, ReturnRequest("r", amount=Decimal(398)), NOW, cap_at_zero=True
    )
    assert (points, shortfall, w.available, w.debt, w.held) == (98, 300, 0, 0, 300)
    assert entry is not None
    assert entry.points == -98
    assert entry.reason == "returned CNY 398 (300 points already spent, not taken back)"
    assert order.reversed_points == 398


def test_a_capped_return_of_points_all_spent_writes_no_entry() -> None:
    w = wallet(lot("o1", 100, 300))
    hold(w, 100)
    result = reverse(
        w, order_record(100, "o1"), ReturnRequest("r", amount=Decimal(398)), NOW, cap_at_zero=True
    )
    assert result == (0, None, 100)
    assert (w.available, w.debt, w.next_seq) == (0, 0, 1)


def test_what_came_back_is_each_returned_unit_at_its_price_and_never_more_than_was_bought() -> None:
    w = wallet(lot("o1", 398, 398))
    order = order_record(398, "o1")  # 2 socks for 99.00 in all

    before = dict(order.returned_quantities), order.returned_amount
    reverse(w, order, ReturnRequest("ret-1", lines=(("SOCK-2", 1),)), NOW)
    one_sock = came_back(order, *before)
    before = dict(order.returned_quantities), order.returned_amount
    reverse(w, order, ReturnRequest("ret-2", lines=(("SOCK-2", 5),)), NOW)
    the_other = came_back(order, *before)
    before = dict(order.returned_quantities), order.returned_amount
    reverse(w, order, ReturnRequest("ret-3", amount=Decimal("20.00")), NOW)
    by_amount = came_back(order, *before)

    assert one_sock == CameBack(
        Decimal("49.50"), (PricedLine("SOCK-2", "accessories", 1, Decimal("49.50"), 0),)
    )
    assert the_other.amount == Decimal("49.50")  # one left to return, not five
    assert by_amount == CameBack(Decimal("20.00"), ())
