"""The bodies of the feedback routes, as strict models."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gateway.contact.feedback.rules import MAX_ANSWER, MAX_COMMENT
from gateway.edge.fields import Strict

Category = Literal["product", "service", "store", "points", "other"]


class GiveFeedbackBody(Strict):
    """A rating (1 to 5) of a store visit or an order, or a complaint with a category."""

    model_config = Strict.model_config | {
        "json_schema_extra": {
            "examples": [
                {"kind": "rating", "rating": 5, "store_id": "S001", "comment": "Quick and kind"},
                {
                    "kind": "complaint",
                    "category": "points",
                    "order_id": "POS-S001-20261207-0042",
                    "comment": "My points for this order never arrived",
                },
            ]
        }
    }

    kind: Literal["rating", "complaint"]
    rating: int | None = Field(default=None, ge=1, le=5, description="1 (poor) to 5 (great)")
    category: Category | None = Field(default=None, description="A complaint's subject")
    comment: str = Field(default="", max_length=MAX_COMMENT)
    store_id: str | None = Field(default=None, min_length=1, max_length=64)
    order_id: str | None = Field(default=None, min_length=1, max_length=128)


class AssignFeedbackBody(Strict):
    """Who handles it; left out: the caller."""

    model_config = Strict.model_config | {"json_schema_extra": {"examples": [{}]}}

    operator_id: str | None = Field(default=None, min_length=1, max_length=128)


class AnswerFeedbackBody(Strict):
    model_config = Strict.model_config | {
        "json_schema_extra": {
            "examples": [{"text": "Sorry about that: we credited the points today."}]
        }
    }

    text: str = Field(min_length=1, max_length=MAX_ANSWER, description="What the member reads")


BODY_MODELS = (GiveFeedbackBody, AssignFeedbackBody, AnswerFeedbackBody)
