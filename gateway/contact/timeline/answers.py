"""What the timeline routes answer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from libs.mongo import Doc


class AuthorOut(BaseModel):
    id: str = Field(description="The operator (or operator key) who wrote it")
    role: str | None = None


class TimelineEntryOut(BaseModel):
    entry_id: str
    kind: str = Field(
        description="enrolment, purchase, return, redemption, coupon_issued, coupon_used, "
        "campaign_reward, tier_change, consent_change, adjustment, expiry, merge, note, feedback"
    )
    occurred_at: datetime
    member_id: str = Field(description="Whose it was: a merged member's id for their history")
    channel: str = Field(description="Where it happened; empty when nowhere in particular")
    store_id: str = Field(description="At which store; empty when at none")
    details: dict[str, Any] = Field(
        description="The figures of the kind: points, order, total and currency, tiers, "
        "consents, coupon, campaign; a note's `text`; feedback's kind, rating, category, "
        "comment, status and answer. Never an identity or contact."
    )
    author: AuthorOut | None = Field(default=None, description="A note's author")
    erased: bool = Field(
        default=False, description="The member was erased: the entry's text is gone"
    )

    @classmethod
    def of(cls, doc: Doc) -> TimelineEntryOut:
        author = doc.get("author")
        return cls(
            entry_id=str(doc["_id"]).split(":", 1)[1],
            kind=doc["kind"],
            occurred_at=doc["occurred_at"],
            member_id=doc["member_id"],
            channel=doc.get("channel", ""),
            store_id=doc.get("store_id", ""),
            details=doc.get("details", {}),
            author=AuthorOut(**author) if author else None,
            erased=bool(doc.get("erased")),
        )


class TimelinePageOut(BaseModel):
    """Newest first; pass `next_cursor` as `cursor` for the next page (null on the last)."""

    entries: list[TimelineEntryOut]
    next_cursor: str | None = None


class NoteOut(BaseModel):
    """The note as recorded; its text is in the timeline (not repeated here, so a replay
    of the request never holds it)."""

    note_id: str
    member_id: str
    created_at: datetime
    author: AuthorOut
