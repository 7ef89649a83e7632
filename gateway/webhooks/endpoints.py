"""A tenant's webhook endpoints, kept in the gateway's database (`webhook_endpoints`).

The secret is kept as issued: the dispatcher needs it to sign. After a rotation the
previous secret still signs (a second signature in the header) for a grace period, so a
receiver can switch without dropping deliveries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from gateway.webhooks.enabled_cache import EnabledEndpoints
from gateway.webhooks.signing import new_secret
from libs.clock import utc_now
from libs.ids import new_id
from libs.mongo import Doc

MAX_ENDPOINTS_PER_TENANT = 20
ROTATION_GRACE = timedelta(hours=24)


@dataclass(frozen=True)
class Endpoint:
    endpoint_id: str
    tenant_id: str
    url: str
    event_types: tuple[str, ...]
    enabled: bool
    secret: str
    previous_secret: str | None
    previous_until: datetime | None
    created_at: datetime
    updated_at: datetime

    def signing_secrets(self, now: datetime) -> list[str]:
        keep = self.previous_secret and self.previous_until and self.previous_until > now
        return (
            [self.secret, self.previous_secret] if keep and self.previous_secret else [self.secret]
        )

    @classmethod
    def of(cls, doc: Doc) -> Endpoint:
        return cls(
            endpoint_id=doc["_id"],
            tenant_id=doc["tenant_id"],
            url=doc["url"],
            event_types=tuple(doc["event_types"]),
            enabled=doc["enabled"],
            secret=doc["secret"],
            previous_secret=doc.get("previous_secret"),
            previous_until=doc.get("previous_until"),
            created_at=doc["created_at"],
            updated_at=doc["updated_at"],
        )


class TooManyEndpoints(Exception):
    """The tenant has MAX_ENDPOINTS_PER_TENANT already."""


class EndpointStore:
    def __init__(
        self, collection: AsyncCollection[Doc], enabled: EnabledEndpoints | None = None
    ) -> None:
        self._endpoints = collection
        # Without a shared cache, one of its own that lives as long as the store.
        self._enabled = enabled or EnabledEndpoints()

    async def ensure_indexes(self) -> None:
        await self._endpoints.create_index(
            [("tenant_id", ASCENDING), ("event_types", ASCENDING), ("enabled", ASCENDING)]
        )

    async def create(self, tenant_id: str, url: str, event_types: list[str]) -> Endpoint:
        if await self._endpoints.count_documents({"tenant_id": tenant_id}) >= (
            MAX_ENDPOINTS_PER_TENANT
        ):
            raise TooManyEndpoints
        now = utc_now()
        doc: Doc = {
            "_id": new_id("we_"),
            "tenant_id": tenant_id,
            "url": url,
            "event_types": sorted(set(event_types)),
            "enabled": True,
            "secret": new_secret(),
            "created_at": now,
            "updated_at": now,
        }
        await self._endpoints.insert_one(doc)
        self._enabled.forget(tenant_id)
        return Endpoint.of(doc)

    async def get(self, tenant_id: str, endpoint_id: str) -> Endpoint | None:
        doc = await self._endpoints.find_one({"_id": endpoint_id, "tenant_id": tenant_id})
        return None if doc is None else Endpoint.of(doc)

    async def of_tenant(self, tenant_id: str) -> list[Endpoint]:
        cursor = self._endpoints.find({"tenant_id": tenant_id}).sort("_id", -1)
        return [Endpoint.of(doc) async for doc in cursor]

    async def subscribed(self, tenant_id: str, event_types: list[str]) -> list[Endpoint]:
        """The tenant's enabled endpoints that take any of `event_types` (all of them kept
        for a few seconds: enabled_cache.py)."""
        enabled = self._enabled.get(tenant_id)
        if enabled is None:
            query = {"tenant_id": tenant_id, "enabled": True}
            enabled = [Endpoint.of(doc) async for doc in self._endpoints.find(query)]
            self._enabled.put(tenant_id, enabled)
        wanted = set(event_types)
        return [e for e in enabled if wanted.intersection(e.event_types)]

    async def update(self, tenant_id: str, endpoint_id: str, **fields: Any) -> Endpoint | None:
        if "event_types" in fields:
            fields["event_types"] = sorted(set(fields["event_types"]))
        doc = await self._endpoints.find_one_and_update(
            {"_id": endpoint_id, "tenant_id": tenant_id},
            {"$set": {**fields, "updated_at": utc_now()}},
            return_document=ReturnDocument.AFTER,
        )
        self._enabled.forget(tenant_id)
        return None if doc is None else Endpoint.of(doc)

    async def rotate(self, tenant_id: str, endpoint_id: str) -> Endpoint | None:
        current = await self.get(tenant_id, endpoint_id)
        if current is None:
            return None
        now = utc_now()
        return await self.update(
            tenant_id,
            endpoint_id,
            secret=new_secret(),
            previous_secret=current.secret,
            previous_until=now + ROTATION_GRACE,
        )

    async def delete(self, tenant_id: str, endpoint_id: str) -> bool:
        found = await self._endpoints.delete_one({"_id": endpoint_id, "tenant_id": tenant_id})
        self._enabled.forget(tenant_id)
        return found.deleted_count == 1
