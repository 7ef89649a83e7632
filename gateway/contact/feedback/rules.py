"""Members' feedback and how support handles it: plain rules, no I/O.

A member rates a store visit or an order (1 to 5, with an optional comment) or complains
(a category from a fixed list and a comment, about a store or an order or neither).
Support (or the store's manager) assigns it, answers it (the member reads the answer) and
closes it; a closed one changes no more.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("rating", "complaint")
CATEGORIES = ("product", "service", "store", "points", "other")
OPEN, ASSIGNED, ANSWERED, CLOSED = "open", "assigned", "answered", "closed"
STATUSES = (OPEN, ASSIGNED, ANSWERED, CLOSED)
ACTIONS = ("assign", "answer", "close")
MAX_COMMENT = 2000
MAX_ANSWER = 2000


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    code: str


class FeedbackClosed(Exception):
    """A closed feedback changes no more."""


@dataclass(frozen=True)
class NewFeedback:
    kind: str
    rating: int | None = None
    category: str | None = None
    comment: str = ""
    store_id: str | None = None
    order_id: str | None = None


def refusals(new: NewFeedback) -> list[FieldError]:
    """What is wrong with a new feedback beyond each field's own shape; empty when nothing."""
    kind, rating, category, comment = new.kind, new.rating, new.category, new.comment
    store_id, order_id = new.store_id, new.order_id
    errors: list[FieldError] = []
    if store_id and order_id:
        errors.append(FieldError("order_id", "name a store or an order, not both", "at_most_one"))
    if kind == "rating":
        if rating is None:
            errors.append(FieldError("rating", "a rating needs 1 to 5", "required"))
        if category is not None:
            errors.append(FieldError("category", "only a complaint has a category", "not_allowed"))
        if not (store_id or order_id):
            errors.append(
                FieldError("store_id", "a rating is of a store visit or an order", "required")
            )
    if kind == "complaint":
        if category is None:
            errors.append(FieldError("category", "a complaint needs a category", "required"))
        if not comment.strip():
            errors.append(FieldError("comment", "a complaint needs a comment", "required"))
    return errors


def status_after(status: str, action: str) -> str:
    """The status an action leaves; assigning answered feedback keeps it answered."""
    if status == CLOSED:
        raise FeedbackClosed
    if action == "assign":
        return ASSIGNED if status == OPEN else status
    if action == "answer":
        return ANSWERED
    return CLOSED
