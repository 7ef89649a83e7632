"""The checks reconciliation runs on each wallet."""

from __future__ import annotations

from datetime import timedelta

from services.points.domain.ledger import EntryType, Posting
from services.points.domain.lots import PendingLot
from services.points.domain.reconciliation import check_wallet
from services.points.tests.unit.samples import NOW, lot, wallet


def test_a_wallet_that_agrees_with_its_ledger_and_holds_does_not_drift() -> None:
    w = wallet(lot("a", 100, 10))
    w.held = 20
    assert check_wallet(w, ledger_sum=120, open_holds=20, stored_available=100) is None


def test_every_disagreement_is_named() -> None:
    w = wallet(lot("a", 100, 10), lot("b", 5, 10))
    w.lots[1].remaining = -1
    w.debt = 3
    w.pending_lots.append(
        PendingLot(lot("p", 50, None), NOW + timedelta(days=1), [Posting(EntryType.EARN, 40, "x")])
    )
    drift = check_wallet(w, ledger_sum=0, open_holds=7, stored_available=0)
    assert drift is not None
    assert [p.split(" ")[0] for p in drift.problems] == [
        "available",
        "stored",
        "held",
        "lot",
        "pending",
        "debt",
    ]


def test_a_lot_that_holds_other_than_what_names_it_drifts() -> None:
    w = wallet(lot("a", 100, 10), lot("b", 50, 20))
    agreeing = check_wallet(
        w, ledger_sum=150, open_holds=0, stored_available=150, named_lots={"a": 100, "b": 50}
    )
    drift = check_wallet(
        w, ledger_sum=150, open_holds=0, stored_available=150, named_lots={"a": 90, "b": 60}
    )
    assert agreeing is None
    assert drift is not None
    assert drift.problems == (
        "lot a holds 100, the entries and holds naming it 90",
        "lot b holds 50, the entries and holds naming it 60",
    )
