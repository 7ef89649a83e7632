"""Managing a tenant's API keys: create, list, rotate (with a grace period), revoke.

Shared by the operator endpoints (`/v1/admin/keys`) and the admin CLI. Secrets are
returned once, by `create` and `rotate`; only their SHA-256 hashes are stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from pymongo import DESCENDING, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from gateway.tenancy.keys import (
    ApiKey,
    Channel,
    IssuedKey,
    KeyStore,
    default_scopes,
    hash_secret,
    key_from_doc,
    new_secret,
)
from libs.mongo import Doc

DEFAULT_GRACE = timedelta(hours=24)
MAX_GRACE = timedelta(days=30)


class KeyRequestError(ValueError):
    """A key that cannot be made as asked (the caller's mistake, a 422)."""


def check_key_request(
    channel: Channel, store_id: str | None, scopes: Iterable[str] | None, role: str | None
) -> None:
    allowed = set(default_scopes(channel))
    if scopes is not None and not set(scopes) <= allowed:
        unknown = ", ".join(sorted(set(scopes) - allowed))
        raise KeyRequestError(f"scopes not available to {channel} keys: {unknown}")
    if store_id is not None and channel != "pos":
        raise KeyRequestError("only pos keys can be bound to a store")
    if role is not None and channel != "operator":
        raise KeyRequestError("only operator keys have a role")


class KeyAdmin:
    def __init__(self, keys: KeyStore, collection: AsyncCollection[Doc]) -> None:
        self._keys = keys
        self._docs = collection

    async def create(
        self,
        tenant_id: str,
        channel: Channel,
        *,
        store_id: str | None = None,
        scopes: Iterable[str] | None = None,
        role: str | None = None,
    ) -> IssuedKey:
        scopes = None if scopes is None else sorted(set(scopes))
        check_key_request(channel, store_id, scopes, role)
        return await self._keys.create_key(
            tenant_id, channel, store_id=store_id, scopes=scopes, role=role
        )

    async def list(self, tenant_id: str) -> list[ApiKey]:
        """The tenant's keys, revoked ones included, newest first."""
        cursor = self._docs.find({"tenant_id": tenant_id}).sort("created_at", DESCENDING)
        return [key_from_doc(doc) async for doc in cursor]

    async def get(self, tenant_id: str, key_id: str) -> ApiKey | None:
        doc = await self._docs.find_one({"tenant_id": tenant_id, "key_id": key_id})
        return None if doc is None else key_from_doc(doc)

    async def rotate(
        self, tenant_id: str, key_id: str, grace: timedelta = DEFAULT_GRACE
    ) -> IssuedKey | None:
        """A new secret for a live key; the current one stays valid for `grace`.

        A secret from an earlier rotation that is still in its grace period stops working
        now: a key has at most two valid secrets. None when no such live key exists.
        """
        if not timedelta(0) <= grace <= MAX_GRACE:
            raise KeyRequestError(f"the grace period must be between 0 and {MAX_GRACE.days} days")
        current = await self._docs.find_one(
            {"tenant_id": tenant_id, "key_id": key_id, "revoked_at": None}
        )
        if current is None:
            return None
        secret = new_secret(current["channel"])
        now = datetime.now(UTC)
        doc = await self._docs.find_one_and_update(
            {"key_id": key_id, "key_hash": current["key_hash"], "revoked_at": None},
            {
                "$set": {
                    "key_hash": hash_secret(secret),
                    "previous_hash": current["key_hash"],
                    "previous_valid_until": now + grace,
                    "rotated_at": now,
                }
            },
            return_document=ReturnDocument.AFTER,
        )
        if doc is None:
            return None
        if grace == timedelta(0):
            self._keys.forget(current["key_hash"])
        return IssuedKey(secret=secret, key=key_from_doc(doc))

    async def revoke(self, tenant_id: str, key_id: str) -> ApiKey | None:
        """Revoke the key (both its secrets); revoking again answers the same. None when the
        tenant has no such key."""
        if await self.get(tenant_id, key_id) is None:
            return None
        await self._keys.revoke(key_id)
        return await self.get(tenant_id, key_id)
