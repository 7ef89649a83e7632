"""Erasure takes an operator's words out of the ledger and keeps the ledger's own."""

from __future__ import annotations

from services.points.domain.erasure import ERASED_REASON, redacted_reason
from services.points.domain.ledger import EntryType


def test_an_adjustment_keeps_its_kind_and_loses_the_operators_text() -> None:
    reason = redacted_reason(EntryType.ADJUST, "adjusted by an operator: Li Lei rang, 138")

    assert reason == f"adjusted by an operator: {ERASED_REASON}"


def test_a_transfer_keeps_the_other_member_and_loses_the_operators_text() -> None:
    reason = redacted_reason(EntryType.TRANSFER_IN, "transferred from member m1: for Li Lei")

    assert reason == f"transferred from member m1: {ERASED_REASON}"


def test_the_ledgers_own_words_stay() -> None:
    assert redacted_reason(EntryType.EARN, "order O-1: 10 points") == "order O-1: 10 points"
