"""Bodies of profile, consent and attribute-schema changes (additions to docs/api.md)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictBool

from gateway.edge.fields import ConsentPurpose, ShortText, StoreId, Strict
from gateway.members.bodies import AttributeName, AttributeValue
from gateway.tenancy.keys import Channel

AttributeType = Literal["string", "int", "bool", "date"]
Source = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_.-]*$")]


class ProfilePatchBody(Strict):
    """`PATCH /v1/members/{id}/profile`, a JSON merge patch: a field left out keeps its
    value, `null` clears it; in `attributes`, `null` removes that attribute. Attributes
    must be in the tenant's schema, each of its type (`date` as YYYY-MM-DD)."""

    name: ShortText | None = None
    birthday: date | None = None
    email: Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")] | None = None
    gender: Literal["female", "male", "other", "undisclosed"] | None = None
    preferred_store_id: StoreId | None = None
    attributes: Annotated[dict[AttributeName, AttributeValue | None], Field(max_length=50)] = Field(
        default_factory=dict
    )


class ConsentsBody(Strict):
    """`PUT /v1/members/{id}/consents`: what the member said, per purpose. Each purpose
    named is recorded in the consent history with the channel (the key's), the time and
    `source` (where they said it, e.g. `app_settings`, `paper_form`; default `api`)."""

    consents: Annotated[dict[ConsentPurpose, StrictBool], Field(min_length=1)]
    source: Source | None = None
    channel: Channel | None = None


class AttributeSchemaBody(Strict):
    """`PUT /v1/admin/member-attributes`: the custom profile attributes of the tenant's
    members and their types. Replaces the schema; members keep values they have."""

    attributes: Annotated[
        dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")], AttributeType],
        Field(max_length=50),
    ]


BODY_MODELS: tuple[type[BaseModel], ...] = (ProfilePatchBody, ConsentsBody, AttributeSchemaBody)
