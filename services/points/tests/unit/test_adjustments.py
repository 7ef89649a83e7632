"""Operator adjustments in the domain: credits are lots, debits never go below zero unless
the tenant allows a debt."""

from __future__ import annotations

from datetime import timedelta

import pytest

from libs.errors import InvalidArgument
from services.points.domain.adjustments import Adjustment, adjust, parse_adjustment
from services.points.domain.errors import InsufficientPoints
from services.points.domain.ledger import EntryType
from services.points.tests.unit.samples import NOW, hold, lot, remaining, wallet


def credit_or_debit(points: int) -> Adjustment:
    return Adjustment("adj-1", "m1", points, "goodwill")


def test_a_credit_is_a_new_lot_with_the_tenants_expiry_and_an_adjust_entry() -> None:
    w = wallet(lot("a", 10, 5))
    expires = NOW + timedelta(days=365)
    entry = adjust(
        w, credit_or_debit(50), lot_id="credit", expires_at=expires, allow_debt=False, at=NOW
    )
    assert (entry.type, entry.points, entry.adjustment_id) == (EntryType.ADJUST, 50, "adj-1")
    assert entry.reason == "adjusted by an operator: goodwill"
    assert remaining(w) == {"a": 10, "credit": 50}
    assert next(x for x in w.lots if x.lot_id == "credit").expires_at == expires
    assert (w.available, w.lifetime_earned) == (60, 0)


def test_a_credit_pays_a_debt_first() -> None:
    w = wallet()
    w.debt = 30
    adjust(w, credit_or_debit(50), lot_id="credit", expires_at=None, allow_debt=False, at=NOW)
    assert (w.available, w.debt, remaining(w)) == (20, 0, {"credit": 20})


def test_a_debit_takes_the_soonest_expiring_points_and_never_held_ones() -> None:
    w = wallet(lot("late", 100, 90), lot("soon", 40, 3))
    hold(w, 30)
    entry = adjust(w, credit_or_debit(-60), lot_id="x", expires_at=None, allow_debt=False, at=NOW)
    assert entry.points == -60
    assert (w.available, w.held) == (50, 30)
    assert remaining(w) == {"late": 50}


def test_a_debit_beyond_available_is_refused_unless_the_tenant_allows_a_debt() -> None:
    w = wallet(lot("a", 40, 3))
    hold(w, 10)
    with pytest.raises(InsufficientPoints):
        adjust(w, credit_or_debit(-31), lot_id="x", expires_at=None, allow_debt=False, at=NOW)
    assert (w.available, w.held, w.next_seq) == (30, 10, 1)
    adjust(w, credit_or_debit(-31), lot_id="x", expires_at=None, allow_debt=True, at=NOW)
    assert (w.available, w.held, w.debt, w.lots) == (-1, 10, 1, [])


@pytest.mark.parametrize(
    ("points", "reason", "field"),
    [
        (0, "goodwill", "points"),
        (10**9 + 1, "goodwill", "points"),
        (-(10**9) - 1, "goodwill", "points"),
        (5, "  ", "reason"),
        (5, "x" * 201, "reason"),
        (5, "bell\x07", "reason"),
    ],
)
def test_a_malformed_adjustment_is_refused_naming_its_field(
    points: int, reason: str, field: str
) -> None:
    with pytest.raises(InvalidArgument, match=f"^rows\\[2\\].{field}: "):
        parse_adjustment("adj-1", "m1", points, reason, where="rows[2].")


def test_a_reason_is_kept_with_its_spaces_collapsed() -> None:
    parsed = parse_adjustment("adj-1", "m1", -5, "  damaged \n parcel ")
    assert parsed == Adjustment("adj-1", "m1", -5, "damaged parcel")
