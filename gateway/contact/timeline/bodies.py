"""The body of `POST /v1/admin/members/{id}/notes`, as a strict model."""

from __future__ import annotations

from pydantic import Field

from gateway.edge.fields import Strict

MAX_NOTE = 2000


class AddNoteBody(Strict):
    model_config = Strict.model_config | {
        "json_schema_extra": {
            "examples": [{"text": "Called about a missing receipt; points credited by hand."}]
        }
    }

    text: str = Field(min_length=1, max_length=MAX_NOTE, description="What support noted")


BODY_MODELS = (AddNoteBody,)
