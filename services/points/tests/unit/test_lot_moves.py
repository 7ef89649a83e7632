"""Entries name what they did to the lots; holds and released holds name the rest."""

from __future__ import annotations

from datetime import timedelta

from services.points.domain import redemptions
from services.points.domain.adjustments import Adjustment, adjust
from services.points.domain.lot_moves import attach_lot_moves, moves_since_mark
from services.points.tests.unit.samples import NOW, hold, lot, wallet


def debit(points: int) -> Adjustment:
    return Adjustment("adj", "m1", -points, "why")


def test_an_entry_carries_what_its_command_did_to_each_lot() -> None:
    w = wallet(lot("soon", 40, 3), lot("late", 100, 90))
    w.mark_lots()
    entry = adjust(w, debit(60), lot_id="x", expires_at=None, allow_debt=False, at=NOW)
    [written] = attach_lot_moves(w, [entry])
    assert written.lots == (("late", -20), ("soon", -40))
    assert moves_since_mark(w) == {}


def test_a_hold_names_its_own_moves_and_its_capture_writes_them_down() -> None:
    w = wallet(lot("a", 100, 30))
    w.mark_lots()
    held = hold(w, 30)
    assert moves_since_mark(w) == {}
    entry = redemptions.capture(w, held, NOW)
    assert entry is not None
    assert attach_lot_moves(w, [entry])[0].lots == (("a", -30),)


def test_a_released_hold_that_pays_a_debt_names_what_it_paid() -> None:
    w = wallet(lot("a", 50, 30))
    w.mark_lots()
    held = hold(w, 50)
    attach_lot_moves(
        w, [adjust(w, debit(20), lot_id="x", expires_at=None, allow_debt=True, at=NOW)]
    )
    assert (w.debt, w.lots) == (20, [])
    assert redemptions.expire(w, held, NOW + timedelta(hours=1))
    assert [(t.lot_id, t.points) for t in held.debt_paid] == [("a", 20)]
    assert (w.debt, [x.remaining for x in w.lots], moves_since_mark(w)) == (0, [30], {})


def test_a_cancelled_capture_writes_the_points_going_back_to_their_lot() -> None:
    w = wallet(lot("a", 100, 30))
    w.mark_lots()
    held = hold(w, 100)
    redemptions.capture(w, held, NOW)
    entry = redemptions.cancel(w, held, NOW)
    assert entry is not None
    assert attach_lot_moves(w, [entry])[0].lots == (("a", 100),)
