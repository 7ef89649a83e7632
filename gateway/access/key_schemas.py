"""Bodies and answers of `/v1/admin/keys`."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gateway.tenancy.keys import ApiKey, Channel

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


class KeyOut(BaseModel):
    """A key as listed: never its secret, never its hash."""

    key_id: str
    tenant_id: str
    channel: Channel
    store_id: str | None
    scopes: list[str]
    role: str | None
    status: Literal["active", "revoked"]
    created_at: datetime
    rotated_at: datetime | None
    previous_valid_until: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, key: ApiKey) -> KeyOut:
        return cls(
            key_id=key.key_id,
            tenant_id=key.tenant_id,
            channel=key.channel,
            store_id=key.store_id,
            scopes=sorted(key.scopes),
            role=key.role,
            status="revoked" if key.revoked_at is not None else "active",
            created_at=key.created_at,
            rotated_at=key.rotated_at,
            previous_valid_until=key.previous_valid_until,
            revoked_at=key.revoked_at,
        )


class IssuedKeyOut(BaseModel):
    """The key and its secret: shown this once, stored only as a hash."""

    key: KeyOut
    secret: str


class KeyListOut(BaseModel):
    keys: list[KeyOut]


BODY_MODELS: tuple[type[BaseModel], ...] = (CreateKeyBody, RotateKeyBody)
