"""Suspended tenants: every credential of theirs is refused from the next request on.

The tenant's document keeps `suspended_at` (the record, read by the platform API); Redis
keeps a flag per suspended tenant, which every gateway process reads on every admitted
request, uncached: so a suspension (or a resumption) holds in every process at once,
whatever the key, session and policy caches still hold. One Redis `EXISTS` a request is
its cost. When Redis cannot answer, the tenant's document is read instead; when Redis lost
its flags (a restart without persistence), `restore` puts them back at the gateway's start.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from redis.asyncio import Redis
from redis.exceptions import RedisError

from libs.logging import get_logger
from libs.mongo import Doc

log = get_logger(__name__)
PREFIX = "tenant-suspended:"


def flag(tenant_id: str) -> str:
    return f"{PREFIX}{tenant_id}"


def flag_command(tenant_id: str) -> tuple[str, ...]:
    """The command whose answer (1 or 0) says whether the tenant is suspended, for a client
    that reads it in a round trip with other reads."""
    return ("EXISTS", flag(tenant_id))


class TenantSuspensions:
    def __init__(self, collection: AsyncCollection[Doc], redis: Redis) -> None:
        self._tenants = collection
        self._redis = redis

    async def suspend(self, tenant_id: str) -> datetime | None:
        """Suspend the tenant (kept as it was if suspended already): when it was suspended,
        None for a tenant without a document."""
        doc = await self._tenants.find_one_and_update(
            {"_id": tenant_id, "suspended_at": None},
            {"$set": {"suspended_at": datetime.now(UTC)}},
            return_document=ReturnDocument.AFTER,
        )
        if doc is None:
            doc = await self._tenants.find_one({"_id": tenant_id}, {"suspended_at": 1})
            if doc is None:
                return None
        await self._redis.set(flag(tenant_id), b"1")
        suspended: datetime = doc["suspended_at"]
        return suspended

    async def resume(self, tenant_id: str) -> bool:
        """Let the tenant's credentials in again; False for a tenant without a document."""
        await self._redis.delete(flag(tenant_id))
        done = await self._tenants.update_one({"_id": tenant_id}, {"$unset": {"suspended_at": ""}})
        return done.matched_count > 0

    async def is_suspended(self, tenant_id: str) -> bool:
        try:
            return bool(await self._redis.exists(flag(tenant_id)))
        except (RedisError, OSError, TimeoutError) as exc:
            log.warning("suspension_flag_unreadable_reading_tenant", error=repr(exc))
        doc = await self._tenants.find_one({"_id": tenant_id}, {"suspended_at": 1})
        return doc is not None and doc.get("suspended_at") is not None

    async def restore(self) -> int:
        """Set the flag of every tenant whose document says it is suspended; how many."""
        restored = 0
        async for doc in self._tenants.find({"suspended_at": {"$ne": None}}, {"_id": 1}):
            await self._redis.set(flag(doc["_id"]), b"1")
            restored += 1
        return restored
