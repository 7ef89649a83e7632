"""What the member-session routes answer."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from gateway.edge.fields import Timestamp


class MemberSessionOut(BaseModel):
    """Send `Authorization: Bearer <token>` until `expires_at`; it acts for `member_id` only."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "token": "lm_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5",
                    "member_id": "mem_01JEXAMPLE0000000000000000",
                    "expires_at": "2026-12-07T10:15:00+00:00",
                }
            ]
        }
    )

    token: str
    member_id: str
    expires_at: Timestamp


class SignedInOut(MemberSessionOut):
    """A member session opened with a one-time code; `created` when the shopper enrolled now."""

    created: bool


class CodeRequestedOut(BaseModel):
    """The code is on its way (also when nothing was sent: the answer reveals nothing)."""

    expires_in_seconds: int


class CodeMessageOut(BaseModel):
    to: str
    text: str
    sent_at: Timestamp


class CodeMessagesOut(BaseModel):
    """The development sender's latest messages of the tenant, newest first."""

    messages: list[CodeMessageOut]
