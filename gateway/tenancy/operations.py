"""Long operations' records (`console_operations`): what an operator started (a bulk
adjustment file, bulk coupon codes, a backtest), how far it got and what it gave, so the
console finds it again after the tab that ran it closed. Kept 7 days after their last
change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from libs.ids import new_id
from libs.mongo import Doc

OPERATIONS = "console_operations"
KEEP = timedelta(days=7)


class OperationStore:
    def __init__(self, collection: AsyncCollection[Doc]) -> None:
        self._ops = collection

    async def ensure_indexes(self) -> None:
        await self._ops.create_index(
            [("tenant_id", ASCENDING), ("owner", ASCENDING), ("created_at", DESCENDING)]
        )
        await self._ops.create_index(
            [("updated_at", ASCENDING)], expireAfterSeconds=int(KEEP.total_seconds())
        )

    async def start(self, tenant_id: str, owner: str, kind: str, subject: str, total: int) -> Doc:
        now = datetime.now(UTC)
        doc: Doc = {
            "_id": new_id("opr_"),
            "tenant_id": tenant_id,
            "owner": owner,
            "kind": kind,
            "subject": subject,
            "state": "running",
            "done": 0,
            "total": total,
            "result": None,
            "error": None,
            "created_at": now,
            "updated_at": now,
        }
        await self._ops.insert_one(doc)
        return doc

    async def record(
        self, tenant_id: str, owner: str, operation_id: str, changes: dict[str, Any]
    ) -> Doc | None:
        """The operation after `changes`; None when it is not this owner's (or gone). A
        finished operation (done or failed) changes no more."""
        return await self._ops.find_one_and_update(
            {
                "_id": operation_id,
                "tenant_id": tenant_id,
                "owner": owner,
                "state": "running",
            },
            {"$set": {**changes, "updated_at": datetime.now(UTC)}},
            return_document=ReturnDocument.AFTER,
        )

    async def get(self, tenant_id: str, owner: str, operation_id: str) -> Doc | None:
        return await self._ops.find_one(
            {"_id": operation_id, "tenant_id": tenant_id, "owner": owner}
        )

    async def list(
        self, tenant_id: str, owner: str, kind: str | None, subject: str | None, limit: int
    ) -> list[Doc]:
        query: Doc = {"tenant_id": tenant_id, "owner": owner}
        if kind:
            query["kind"] = kind
        if subject:
            query["subject"] = subject
        cursor = self._ops.find(query).sort("created_at", DESCENDING).limit(limit)
        return await cursor.to_list()
