"""What the feedback routes answer."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from libs.mongo import Doc


class FeedbackOut(BaseModel):
    feedback_id: str
    member_id: str
    kind: str = Field(description="rating or complaint")
    rating: int | None = None
    category: str | None = None
    comment: str | None = Field(
        default=None, description="Absent in a creation's answer and after erasure"
    )
    store_id: str | None = None
    order_id: str | None = None
    channel: str = Field(description="Where the member gave it (app, miniprogram, ...)")
    status: str = Field(description="open, assigned, answered or closed")
    assignee: str | None = Field(default=None, description="The operator handling it")
    answer: str | None = Field(default=None, description="Support's answer, which the member reads")
    answered_at: datetime | None = None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    erased: bool = False

    @classmethod
    def of(cls, doc: Doc, *, with_text: bool = True) -> FeedbackOut:
        fields = {name: doc.get(name) for name in cls.model_fields if name in doc}
        fields["feedback_id"] = doc["_id"]
        if not with_text:
            fields.pop("comment", None)
            fields.pop("answer", None)
        return cls(**fields)


class FeedbackListOut(BaseModel):
    """Newest first; pass `next_cursor` as `cursor` for the next page (null on the last)."""

    feedback: list[FeedbackOut]
    next_cursor: str | None = None
