"""What the member-session routes answer."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

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

    token: str | None = Field(
        description="The member token; null when it went into the member centre's cookie"
    )
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


class HandoffOut(BaseModel):
    """Open `url` (on the gateway's origin) in the app's web view at once: the code signs the
    member in to the member centre once, within `expires_at`."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "mh_3q2YhJ8Kc0w1bQ5n6Zr9sT4uV7xY0aB2cD5eF8gH1iJ",
                    "member_id": "mem_01JEXAMPLE0000000000000000",
                    "expires_at": "2026-12-07T10:01:00+00:00",
                    "url": "/m?handoff=mh_3q2YhJ8Kc0w1bQ5n6Zr9sT4uV7xY0aB2cD5eF8gH1iJ",
                }
            ]
        }
    )

    code: str
    member_id: str
    expires_at: Timestamp
    url: str = Field(description="The member centre's address with the code, on this gateway")


class CurrentMemberSessionOut(BaseModel):
    """Who the member session in use acts for (a member token, or the member centre's cookie)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "member_id": "mem_01JEXAMPLE0000000000000000",
                    "tenant_id": "demo",
                    "channel": "app",
                    "expires_at": "2026-12-07T11:00:00+00:00",
                }
            ]
        }
    )

    member_id: str
    tenant_id: str
    channel: str
    expires_at: Timestamp
