"""Spending, cancelling and expiring against the lots of a wallet."""

from __future__ import annotations

from datetime import timedelta

import pytest

from libs.errors import FailedPrecondition, InvalidArgument
from services.points.domain import redemptions
from services.points.domain.errors import InsufficientPoints
from services.points.domain.expiry import expire_lots
from services.points.domain.ledger import EntryType
from services.points.domain.redemptions import RedemptionStatus
from services.points.tests.unit.samples import NOW, hold, lot, remaining, wallet


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
