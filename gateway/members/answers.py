"""The member JSON of the API, as pydantic models (so /openapi.json documents them)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from gateway.edge.fields import Timestamp
from gateway.shared.answers import TierOut


class ProfileOut(BaseModel):
    name: str | None = None
    birthday: date | None = None
    email: str | None = None
    gender: str | None = None
    preferred_store_id: str | None = None
    attributes: dict[str, bool | int | str] | None = None


class IdentityOut(BaseModel):
    type: str
    value: str


class MemberOut(BaseModel):
    """A member. `merged_into` only when merged; `created` only on enrolment answers."""

    member_id: str
    status: str
    merged_into: str | None = None
    identities: list[IdentityOut]
    profile: ProfileOut
    consents: dict[str, bool]
    tier: TierOut | None
    enrolled_at: Timestamp | None = None
    enrolled_channel: str
    created: bool | None = None

    def to_json(self) -> dict[str, object]:
        """Empty values left out, except `tier`, which is null when the member has none."""
        body = self.model_dump(mode="json", exclude_none=True)
        body.setdefault("tier", None)
        return body
