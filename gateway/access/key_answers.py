"""The answers of the key endpoints: a key never shows its secret, except once when
issued."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from gateway.tenancy.keys import ApiKey, Channel


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
