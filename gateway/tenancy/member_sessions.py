"""Member sessions: opaque bearer tokens acting for one member, stored as SHA-256 hashes.

A token (`lm_<43 random characters>`) is minted by a brand's backend with its channel key
(`POST /v1/members/{id}/sessions`) or by a one-time code sent to the member
(`POST /v1/member-sessions`). It authenticates as a caller of its tenant and channel with
`member_id` set, which `gateway.access.member_scope` keeps to that member. Signing out
deletes it; a TTL index removes expired ones, and expired ones never authenticate.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection

from gateway.tenancy.keys import TOUCHPOINT_SCOPES, ApiKey, Channel, hash_secret
from libs.ids import new_id
from libs.mongo import Doc

TOKEN_PREFIX = "lm_"  # noqa: S105 - a prefix, not a secret


def is_member_token(secret: str) -> bool:
    return secret.startswith(TOKEN_PREFIX)


@dataclass(frozen=True)
class MemberSession:
    token: str
    member_id: str
    expires_at: datetime


class MemberSessionStore:
    def __init__(self, collection: AsyncCollection[Doc]) -> None:
        self._sessions = collection

    async def ensure_indexes(self) -> None:
        await self._sessions.create_index([("token_hash", ASCENDING)], unique=True)
        await self._sessions.create_index([("expires_at", ASCENDING)], expireAfterSeconds=0)

    async def open(
        self, tenant_id: str, member_id: str, channel: Channel, *, lifetime: timedelta
    ) -> MemberSession:
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        expires_at = now + lifetime
        await self._sessions.insert_one(
            {
                "token_hash": hash_secret(token),
                "session_id": new_id("msn_"),
                "tenant_id": tenant_id,
                "member_id": member_id,
                "channel": channel,
                "created_at": now,
                "expires_at": expires_at,
            }
        )
        return MemberSession(token, member_id, expires_at)

    async def find(self, token: str) -> ApiKey | None:
        """The member's caller, while the session lasts."""
        doc = await self._sessions.find_one({"token_hash": hash_secret(token)})
        if doc is None or doc["expires_at"].replace(tzinfo=UTC) <= datetime.now(UTC):
            return None
        return ApiKey(
            key_id=doc["session_id"],
            tenant_id=doc["tenant_id"],
            channel=doc["channel"],
            scopes=frozenset(TOUCHPOINT_SCOPES),
            created_at=doc["created_at"],
            member_id=doc["member_id"],
        )

    async def expiry(self, token: str) -> datetime | None:
        """When the session ends; None for an unknown or ended one."""
        doc = await self._sessions.find_one({"token_hash": hash_secret(token)}, {"expires_at": 1})
        if doc is None:
            return None
        expires_at: datetime = doc["expires_at"].replace(tzinfo=UTC)
        return expires_at if expires_at > datetime.now(UTC) else None

    async def close(self, token: str) -> bool:
        result = await self._sessions.delete_one({"token_hash": hash_secret(token)})
        return result.deleted_count == 1
