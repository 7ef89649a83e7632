"""The member bodies of the API, as strict models (so /openapi.json documents them)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, StrictBool, StrictInt

from gateway.edge.fields import ConsentPurpose, IdentityType, ShortText, StoreId, Strict
from gateway.tenancy.keys import Channel

# A custom attribute: text, integer, boolean, or a date as "YYYY-MM-DD" text; the tenant's
# attribute schema says which (an attribute it does not name is refused).
AttributeValue = StrictBool | StrictInt | Annotated[str, Field(max_length=500)]
AttributeName = Annotated[str, Field(min_length=1, max_length=64)]
Attributes = Annotated[dict[AttributeName, AttributeValue], Field(max_length=50)]


class Identity(Strict):
    type: IdentityType
    value: Annotated[str, Field(min_length=1, max_length=256)]


class Profile(Strict):
    name: ShortText | None = None
    birthday: date | None = None
    email: Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")] | None = None
    gender: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    preferred_store_id: StoreId | None = None
    attributes: Attributes = Field(default_factory=dict)


class EnrollMemberBody(Strict):
    """`POST /v1/members`: enrol, or find the member already holding an identity."""

    channel: Channel | None = None
    store_id: StoreId | None = None
    identities: Annotated[list[Identity], Field(min_length=1, max_length=10)]
    profile: Profile | None = None
    consents: dict[ConsentPurpose, bool] = Field(default_factory=dict)
