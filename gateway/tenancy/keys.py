"""API keys: random secrets, stored only as SHA-256 hashes, cached briefly in process."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection

from libs.ids import new_id
from libs.mongo import Doc

Channel = Literal["pos", "ecommerce", "miniprogram", "app", "operator"]
CHANNELS: tuple[Channel, ...] = get_args(Channel)
TOUCHPOINT_SCOPES = ("members:read", "members:write", "points:read", "points:write")
OPERATOR_SCOPES = (*TOUCHPOINT_SCOPES, "admin")
_CACHE_LIMIT = 10_000


def default_scopes(channel: Channel) -> tuple[str, ...]:
    return OPERATOR_SCOPES if channel == "operator" else TOUCHPOINT_SCOPES


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret(channel: Channel) -> str:
    return f"lk_{channel}_{secrets.token_urlsafe(32)}"


@dataclass(frozen=True)
class ApiKey:
    """Who is calling: one tenant, one channel, maybe one store."""

    key_id: str
    tenant_id: str
    channel: Channel
    scopes: frozenset[str]
    created_at: datetime
    store_id: str | None = None
    revoked_at: datetime | None = None
    # An operator's role (see `gateway.permissions`); None for a touchpoint's key, and an
    # operator key without one acts as `admin`.
    role: str | None = None
    # After a rotation the previous secret keeps working until then.
    rotated_at: datetime | None = None
    previous_valid_until: datetime | None = None
    # A store manager's stores, when signed in (a key is bound by `store_id` alone).
    stores: tuple[str, ...] = ()
    # A member token's member (`gateway.tenancy.member_sessions`): it acts for them only.
    member_id: str | None = None

    def allows(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def bound_stores(self) -> frozenset[str]:
        """The stores this caller may act for; empty when it is bound to none."""
        return frozenset((self.store_id,)) if self.store_id else frozenset(self.stores)


@dataclass(frozen=True)
class IssuedKey:
    """A key as created: the secret is shown once and never stored."""

    secret: str = field(repr=False)
    key: ApiKey


def key_from_doc(doc: Doc) -> ApiKey:
    return ApiKey(
        key_id=doc["key_id"],
        tenant_id=doc["tenant_id"],
        channel=doc["channel"],
        scopes=frozenset(doc.get("scopes", ())),
        created_at=doc["created_at"],
        store_id=doc.get("store_id"),
        revoked_at=doc.get("revoked_at"),
        role=doc.get("role"),
        rotated_at=doc.get("rotated_at"),
        previous_valid_until=doc.get("previous_valid_until"),
    )


def _live(doc: Doc, key_hash: str) -> bool:
    if doc.get("revoked_at") is not None:
        return False
    if doc["key_hash"] == key_hash:
        return True
    until = doc.get("previous_valid_until")
    return until is not None and until.replace(tzinfo=UTC) > datetime.now(UTC)


class KeyStore:
    """The `api_keys` collection, with a short in-process cache in front of it."""

    def __init__(
        self,
        collection: AsyncCollection[Doc],
        *,
        cache_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._keys = collection
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._cache: dict[str, tuple[float, ApiKey | None]] = {}

    async def ensure_indexes(self) -> None:
        await self._keys.create_index([("key_hash", ASCENDING)], unique=True)
        await self._keys.create_index([("key_id", ASCENDING)], unique=True)
        await self._keys.create_index([("tenant_id", ASCENDING), ("channel", ASCENDING)])
        await self._keys.create_index([("previous_hash", ASCENDING)], sparse=True)

    async def create_key(
        self,
        tenant_id: str,
        channel: Channel,
        *,
        store_id: str | None = None,
        scopes: Iterable[str] | None = None,
        role: str | None = None,
    ) -> IssuedKey:
        secret = new_secret(channel)
        doc: dict[str, Any] = {
            "key_hash": hash_secret(secret),
            "key_id": new_id("key_"),
            "tenant_id": tenant_id,
            "channel": channel,
            "store_id": store_id,
            "scopes": sorted(default_scopes(channel) if scopes is None else scopes),
            "created_at": datetime.now(UTC),
            "revoked_at": None,
        }
        if role is not None:
            doc["role"] = role
        await self._keys.insert_one(doc)
        return IssuedKey(secret=secret, key=key_from_doc(doc))

    async def find_by_secret(self, secret: str) -> ApiKey | None:
        """The live key for this secret (its current one, or the previous one during the
        grace period after a rotation); None when unknown, revoked or past the grace."""
        key_hash = hash_secret(secret)
        now = self._clock()
        cached = self._cache.get(key_hash)
        if cached is not None and cached[0] > now:
            return cached[1]
        doc = await self._keys.find_one(
            {"$or": [{"key_hash": key_hash}, {"previous_hash": key_hash}]}
        )
        key = key_from_doc(doc) if doc is not None and _live(doc, key_hash) else None
        self._remember(key_hash, key, now)
        return key

    async def revoke(self, key_id: str) -> bool:
        """Revoke a key; True if it was live. Other processes notice within the cache TTL."""
        doc = await self._keys.find_one_and_update(
            {"key_id": key_id, "revoked_at": None},
            {"$set": {"revoked_at": datetime.now(UTC)}},
        )
        if doc is None:
            return False
        self._cache.pop(doc["key_hash"], None)
        if doc.get("previous_hash"):  # a rotated key's previous secret ends with it
            self._cache.pop(doc["previous_hash"], None)
        return True

    def forget(self, key_hash: str) -> None:
        """Drop a cached lookup, so this process sees a rotation or revocation at once."""
        self._cache.pop(key_hash, None)

    def _remember(self, key_hash: str, key: ApiKey | None, now: float) -> None:
        if self._cache_seconds <= 0:
            return
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache = {h: entry for h, entry in self._cache.items() if entry[0] > now}
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
        self._cache[key_hash] = (now + self._cache_seconds, key)


ROLES = ("admin", "marketer", "store_manager", "support", "analyst", "auditor")
