"""Bodies and answers of `/v1/admin/keys`."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gateway.tenancy.keys import Channel

Scope = Literal["members:read", "members:write", "points:read", "points:write", "admin"]
Role = Literal["admin", "marketer", "store_manager", "support", "analyst", "auditor"]
StoreId = str


class CreateKeyBody(BaseModel):
    """A new key of the caller's tenant. `store_id` binds a pos key to one store; `role`
    limits an operator key (it acts as `admin` without one)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"channel": "pos", "store_id": "S001"}]},
    )

    channel: Channel
    store_id: StoreId | None = Field(default=None, min_length=1, max_length=64)
    scopes: list[Scope] | None = Field(default=None, min_length=1)
    role: Role | None = None


class RotateKeyBody(BaseModel):
    """How long the current secret keeps working after the rotation (default 24 h)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{}]})

    grace_seconds: int = Field(default=24 * 3600, ge=0, le=30 * 24 * 3600)


BODY_MODELS: tuple[type[BaseModel], ...] = (CreateKeyBody, RotateKeyBody)
