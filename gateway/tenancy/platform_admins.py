"""Platform administrators: credentials above tenants, made only by the admin CLI.

A platform administrator's secret (`lp_platform_...`) is shown once at creation and
stored only as its SHA-256 hash, like an API key's; it opens the platform API
(`/v1/platform/...`) and nothing else: the tenants' routes never look it up, so it
cannot act inside a tenant. Lookups are not cached: the platform API is called rarely,
and a revoked administrator is refused at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection

from gateway.tenancy.keys import ApiKey, hash_secret
from libs.ids import new_id
from libs.mongo import Doc

SECRET_PREFIX = "lp_platform_"  # noqa: S105 - a prefix, not a secret
# A platform administrator's principal in the permission matrix, and its caller's role.
PLATFORM = "platform"
# The audit trail's tenant for a platform change that names no tenant (a refused call).
PLATFORM_TRAIL = "_platform"


def is_platform_secret(secret: str) -> bool:
    return secret.startswith(SECRET_PREFIX)


@dataclass(frozen=True)
class PlatformAdmin:
    admin_id: str
    name: str
    created_at: datetime
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class IssuedAdmin:
    secret: str = field(repr=False)
    admin: PlatformAdmin


def _admin(doc: Doc) -> PlatformAdmin:
    return PlatformAdmin(
        admin_id=doc["admin_id"],
        name=doc["name"],
        created_at=doc["created_at"],
        revoked_at=doc.get("revoked_at"),
    )


def platform_caller(admin: PlatformAdmin, tenant_id: str = PLATFORM_TRAIL) -> ApiKey:
    """The administrator as the gateway's admission and audit trail see a caller: the
    `platform` principal, acting on `tenant_id` (the tenant its audit entry belongs to)."""
    return ApiKey(
        key_id=admin.admin_id,
        tenant_id=tenant_id,
        channel="operator",
        scopes=frozenset({PLATFORM}),
        created_at=admin.created_at,
        role=PLATFORM,
    )


class PlatformAdmins:
    """The `platform_admins` collection."""

    def __init__(self, collection: AsyncCollection[Doc]) -> None:
        self._admins = collection

    async def ensure_indexes(self) -> None:
        await self._admins.create_index([("secret_hash", ASCENDING)], unique=True)
        await self._admins.create_index([("admin_id", ASCENDING)], unique=True)

    async def create(self, name: str) -> IssuedAdmin:
        secret = f"{SECRET_PREFIX}{secrets.token_urlsafe(32)}"
        doc = {
            "admin_id": new_id("pa_"),
            "name": name,
            "secret_hash": hash_secret(secret),
            "created_at": datetime.now(UTC),
            "revoked_at": None,
        }
        await self._admins.insert_one(doc)
        return IssuedAdmin(secret=secret, admin=_admin(doc))

    async def find_by_secret(self, secret: str) -> PlatformAdmin | None:
        """The live administrator holding this secret; None when unknown or revoked."""
        if not is_platform_secret(secret):
            return None
        doc = await self._admins.find_one({"secret_hash": hash_secret(secret), "revoked_at": None})
        return None if doc is None else _admin(doc)

    async def list(self) -> list[PlatformAdmin]:
        return [_admin(doc) async for doc in self._admins.find().sort("created_at", ASCENDING)]

    async def revoke(self, admin_id: str) -> PlatformAdmin | None:
        doc = await self._admins.find_one_and_update(
            {"admin_id": admin_id, "revoked_at": None},
            {"$set": {"revoked_at": datetime.now(UTC)}},
        )
        return None if doc is None else _admin({**doc, "revoked_at": datetime.now(UTC)})
