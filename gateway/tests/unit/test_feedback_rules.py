"""What makes members' feedback acceptable, and how handling it moves its status."""

from __future__ import annotations

import pytest

from gateway.contact.feedback.rules import (
    ANSWERED,
    ASSIGNED,
    CLOSED,
    OPEN,
    FeedbackClosed,
    NewFeedback,
    refusals,
    status_after,
)


def codes(new: NewFeedback) -> set[tuple[str, str]]:
    return {(e.field, e.code) for e in refusals(new)}


def test_a_rating_of_a_store_visit_is_accepted() -> None:
    assert refusals(NewFeedback("rating", rating=4, store_id="S001")) == []


def test_a_rating_needs_a_rating_and_a_store_or_an_order() -> None:
    assert codes(NewFeedback("rating")) == {("rating", "required"), ("store_id", "required")}


def test_a_rating_has_no_category() -> None:
    wrong = NewFeedback("rating", rating=3, category="points", order_id="o1")

    assert codes(wrong) == {("category", "not_allowed")}


def test_feedback_names_a_store_or_an_order_not_both() -> None:
    both = NewFeedback("rating", rating=5, store_id="S001", order_id="o1")

    assert codes(both) == {("order_id", "at_most_one")}


def test_a_complaint_needs_a_category_and_a_comment_but_no_store() -> None:
    assert codes(NewFeedback("complaint", comment="  ")) == {
        ("category", "required"),
        ("comment", "required"),
    }
    assert refusals(NewFeedback("complaint", category="points", comment="late points")) == []


def test_assigning_open_feedback_assigns_it_and_answered_feedback_stays_answered() -> None:
    assert status_after(OPEN, "assign") == ASSIGNED
    assert status_after(ANSWERED, "assign") == ANSWERED


def test_answering_and_closing_move_feedback_on() -> None:
    assert status_after(ASSIGNED, "answer") == ANSWERED
    assert status_after(OPEN, "close") == CLOSED


@pytest.mark.parametrize("action", ["assign", "answer", "close"])
def test_closed_feedback_changes_no_more(action: str) -> None:
    with pytest.raises(FeedbackClosed):
        status_after(CLOSED, action)
