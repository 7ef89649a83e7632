"""Operator sessions: opaque bearer tokens, stored as SHA-256 hashes, expiring soon.

A token (`lo_<43 random characters>`) is used like an operator key; it acts with its
operator's role, and for a store_manager with their stores. Signing out deletes it; a TTL
index removes expired ones, and expired ones never authenticate.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection

from gateway.tenancy.keys import OPERATOR_SCOPES, ApiKey, hash_secret
from gateway.tenancy.operators.store import Operator
from libs.mongo import Doc

TOKEN_PREFIX = "lo_"  # noqa: S105 - a prefix, not a secret


def is_session_token(secret: str) -> bool:
    return secret.startswith(TOKEN_PREFIX)


@dataclass(frozen=True)
class Session:
    token: str
    expires_at: datetime


class SessionStore:
    def __init__(self, collection: AsyncCollection[Doc], *, lifetime: timedelta) -> None:
        self._sessions = collection
        self._lifetime = lifetime

    async def ensure_indexes(self) -> None:
        await self._sessions.create_index([("token_hash", ASCENDING)], unique=True)
        await self._sessions.create_index([("expires_at", ASCENDING)], expireAfterSeconds=0)

    async def open(self, operator: Operator) -> Session:
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        expires_at = now + self._lifetime
        await self._sessions.insert_one(
            {
                "token_hash": hash_secret(token),
                "operator_id": operator.operator_id,
                "tenant_id": operator.tenant_id,
                "role": operator.role,
                "stores": list(operator.stores),
                "created_at": now,
                "expires_at": expires_at,
            }
        )
        return Session(token, expires_at)

    async def find(self, token: str) -> ApiKey | None:
        """The signed-in operator as a caller, while the session lasts."""
        doc = await self._sessions.find_one({"token_hash": hash_secret(token)})
        if doc is None or doc["expires_at"].replace(tzinfo=UTC) <= datetime.now(UTC):
            return None
        stores = doc.get("stores", [])
        return ApiKey(
            key_id=doc["operator_id"],
            tenant_id=doc["tenant_id"],
            channel="operator",
            scopes=frozenset(OPERATOR_SCOPES),
            created_at=doc["created_at"],
            store_id=stores[0] if len(stores) == 1 else None,
            role=doc["role"],
            stores=tuple(stores),
        )

    async def close(self, token: str) -> bool:
        result = await self._sessions.delete_one({"token_hash": hash_secret(token)})
        return result.deleted_count == 1

    async def close_all(self, operator_id: str) -> int:
        result = await self._sessions.delete_many({"operator_id": operator_id})
        return result.deleted_count
