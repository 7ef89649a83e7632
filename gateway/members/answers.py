"""The member JSON of the API, as pydantic models (so /openapi.json documents them)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from gateway.edge.fields import Timestamp
from gateway.shared.answers import TierOut


class ProfileOut(BaseModel):
    name: str | None = None
    birthday: date | None = None
    email: str | None = None
    gender: str | None = None
    preferred_store_id: str | None = None
    attributes: dict[str, bool | int | str] | None = None


class ActorOut(BaseModel):
    """Who made a change: `operator`, `channel` (a touchpoint's key) or `system`, the key's
    id and the store it acted for."""

    kind: str
    channel: str | None = None
    key_id: str | None = None
    store_id: str | None = None


class IdentityOut(BaseModel):
    type: str
    value: str
    asserted_by: ActorOut | None = Field(
        default=None,
        description=(
            "Operators only: who asserted this identity is the member's (channel, store, "
            "key). Absent for identities linked before it was recorded: unknown."
        ),
    )
    asserted_at: Timestamp | None = Field(default=None, description="Operators only: when")


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

    def without_personal_data(self) -> MemberOut:
        """For a caller who may not read this member: no identities, profile or consents."""
        return self.model_copy(update={"identities": [], "profile": ProfileOut(), "consents": {}})
