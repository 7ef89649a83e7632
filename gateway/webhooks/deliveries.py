"""Delivery records (`webhook_deliveries`): one per endpoint and event, made by the
stream consumer and worked by the dispatcher.

The record's id is the `webhook-id` the receiver sees: the same on every attempt and on
a replay, so a receiver dedupes by it. A record is `pending` (due at `next_at`),
`delivering` (claimed; `next_at` is the claim's lease, after which another dispatcher may
take it), `delivered` or `failed` (the retry window ran out, or the endpoint is gone).
Records are kept 30 days.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection

from libs.mongo import Doc

PENDING, DELIVERING, DELIVERED, FAILED = "pending", "delivering", "delivered", "failed"
STATUSES = (PENDING, DELIVERING, DELIVERED, FAILED)
KEEP_SECONDS = 30 * 24 * 3600
KEEP_ATTEMPTS = 10


def delivery_id(event_id: str, endpoint_id: str) -> str:
    return f"msg_{event_id}_{endpoint_id}"


class DeliveryStore:
    def __init__(self, collection: AsyncCollection[Doc]) -> None:
        self._deliveries = collection

    async def ensure_indexes(self) -> None:
        await self._deliveries.create_index([("status", ASCENDING), ("next_at", ASCENDING)])
        await self._deliveries.create_index(
            [("tenant_id", ASCENDING), ("endpoint_id", ASCENDING), ("created_at", DESCENDING)]
        )
        await self._deliveries.create_index(
            "created_at", expireAfterSeconds=KEEP_SECONDS, name="created_ttl"
        )

    async def record(self, rows: Sequence[Doc]) -> None:
        """Insert what is new; a redelivered event finds its records there and adds none."""
        if rows:
            writes = [UpdateOne({"_id": r["_id"]}, {"$setOnInsert": r}, upsert=True) for r in rows]
            await self._deliveries.bulk_write(writes, ordered=False)

    async def due(self, now: datetime, busy: Sequence[str], limit: int) -> list[Doc]:
        """Records to try now, oldest due first, leaving out endpoints at their limit."""
        query: Doc = {"status": {"$in": [PENDING, DELIVERING]}, "next_at": {"$lte": now}}
        if busy:
            query["endpoint_id"] = {"$nin": list(busy)}
        cursor = self._deliveries.find(query, {"body": 0}).sort("next_at", 1).limit(limit)
        return [doc async for doc in cursor]

    async def claim(self, record_id: str, now: datetime, lease: timedelta) -> Doc | None:
        """Take a due record for one attempt; None when another dispatcher took it."""
        return await self._deliveries.find_one_and_update(
            {"_id": record_id, "status": {"$in": [PENDING, DELIVERING]}, "next_at": {"$lte": now}},
            {"$set": {"status": DELIVERING, "next_at": now + lease}},
            return_document=ReturnDocument.AFTER,
        )

    async def settle(
        self, record_id: str, attempt: Doc, *, status: str, next_at: datetime | None
    ) -> None:
        """Write one attempt's outcome: delivered, failed, or pending again at `next_at`."""
        fields: Doc = {
            "status": status,
            "next_at": next_at,
            "last_attempt_at": attempt["at"],
            "last_status_code": attempt.get("status_code"),
            "last_error": attempt.get("error"),
        }
        if status == DELIVERED:
            fields["delivered_at"] = attempt["at"]
        await self._deliveries.update_one(
            {"_id": record_id},
            {
                "$set": fields,
                "$inc": {"attempts": 1},
                "$push": {"attempt_log": {"$each": [attempt], "$slice": -KEEP_ATTEMPTS}},
            },
        )

    async def page(
        self,
        tenant_id: str,
        endpoint_id: str,
        *,
        status: str | None,
        before: datetime | None,
        limit: int,
    ) -> list[Doc]:
        query: Doc = {"tenant_id": tenant_id, "endpoint_id": endpoint_id}
        if status is not None:
            query["status"] = status
        if before is not None:
            query["created_at"] = {"$lt": before}
        cursor = self._deliveries.find(query).sort("created_at", -1).limit(limit)
        return [doc async for doc in cursor]

    async def replay(
        self, tenant_id: str, endpoint_id: str, record_id: str, now: datetime
    ) -> Doc | None:
        """Deliver a record again now (a new retry window), whatever became of it."""
        return await self._deliveries.find_one_and_update(
            {"_id": record_id, "tenant_id": tenant_id, "endpoint_id": endpoint_id},
            _again(now),
            return_document=ReturnDocument.AFTER,
        )

    async def replay_range(
        self, tenant_id: str, endpoint_id: str, start: datetime, end: datetime, now: datetime
    ) -> int:
        """Deliver again every record of events that occurred in [start, end)."""
        found = await self._deliveries.update_many(
            {
                "tenant_id": tenant_id,
                "endpoint_id": endpoint_id,
                "occurred_at": {"$gte": start, "$lt": end},
                "status": {"$ne": DELIVERING},
            },
            _again(now),
        )
        return found.modified_count

    async def forget_endpoint(self, tenant_id: str, endpoint_id: str) -> None:
        await self._deliveries.delete_many({"tenant_id": tenant_id, "endpoint_id": endpoint_id})

    async def body(self, record_id: str) -> str | None:
        doc = await self._deliveries.find_one({"_id": record_id}, {"body": 1})
        return None if doc is None else str(doc["body"])


def _again(now: datetime) -> dict[str, Any]:
    return {"$set": {"status": PENDING, "next_at": now, "window_start": now, "replayed_at": now}}
