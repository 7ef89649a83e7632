"""Long operations' records (`console_operations`): what an operator started (a bulk
adjustment file, bulk coupon codes, a backtest), how far it got and what it gave, so the
console finds it again after the tab that ran it closed. Kept 7 days after their last
change.

An operation the gateway runs itself (`background`) keeps its input with it and is held
by one gateway process at a time under a lease (`lease_owner`, `lease_until`): the holder
renews the lease with every step it records, and a gateway that stopped or crashed leaves
the lease to run out, after which another gateway (or the same one restarted) claims the
operation and carries on from the last step recorded."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from libs.ids import new_id
from libs.mongo import Doc

OPERATIONS = "console_operations"
KEEP = timedelta(days=7)
# The input stays in the database: answers never carry it.
_ANSWER = {"input": False}
# Free operations tried at each claim: another worker may take the first ones meanwhile.
_CANDIDATES = 5


def operation_doc(
    tenant_id: str,
    owner: str,
    kind: str,
    subject: str,
    total: int,
    *,
    work: Doc | None = None,
    result: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Doc:
    """A new record: run by the page that recorded it, or with `work` (its input) by the
    gateway, unclaimed."""
    at = datetime.now(UTC) if now is None else now
    doc: Doc = {
        "_id": new_id("opr_"),
        "tenant_id": tenant_id,
        "owner": owner,
        "kind": kind,
        "subject": subject,
        "state": "running",
        "done": 0,
        "total": total,
        "result": result,
        "error": None,
        "created_at": at,
        "updated_at": at,
        "background": work is not None,
    }
    if work is not None:
        doc |= {"input": work, "lease_owner": None, "lease_until": at, "attempts": 0}
    return doc


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
        await self._ops.create_index(
            [("background", ASCENDING), ("state", ASCENDING), ("lease_until", ASCENDING)]
        )

    async def start(self, tenant_id: str, owner: str, kind: str, subject: str, total: int) -> Doc:
        doc = operation_doc(tenant_id, owner, kind, subject, total)
        await self._ops.insert_one(doc)
        return doc

    async def start_background(self, doc: Doc) -> Doc:
        """Record an operation for the gateway to run (`operation_doc` with its work)."""
        await self._ops.insert_one(doc)
        return {k: v for k, v in doc.items() if k != "input"}

    async def record(
        self, tenant_id: str, owner: str, operation_id: str, changes: dict[str, Any]
    ) -> Doc | None:
        """The operation after `changes`; None when it is not this owner's (or gone), or
        the gateway runs it. A finished operation (done or failed) changes no more."""
        return await self._ops.find_one_and_update(
            {
                "_id": operation_id,
                "tenant_id": tenant_id,
                "owner": owner,
                "state": "running",
                "background": {"$ne": True},
            },
            {"$set": {**changes, "updated_at": datetime.now(UTC)}},
            return_document=ReturnDocument.AFTER,
        )

    async def get(self, tenant_id: str, owner: str, operation_id: str) -> Doc | None:
        return await self._ops.find_one(
            {"_id": operation_id, "tenant_id": tenant_id, "owner": owner}, projection=_ANSWER
        )

    async def list(
        self, tenant_id: str, owner: str, kind: str | None, subject: str | None, limit: int
    ) -> list[Doc]:
        query: Doc = {"tenant_id": tenant_id, "owner": owner}
        if kind:
            query["kind"] = kind
        if subject:
            query["subject"] = subject
        cursor = self._ops.find(query, projection=_ANSWER).sort("created_at", DESCENDING)
        return await cursor.limit(limit).to_list()

    # The gateway's own runner.

    async def claim(
        self, worker: str, now: datetime, lease: timedelta, skip_tenants: Collection[str] = ()
    ) -> Doc | None:
        """The oldest background operation still running whose lease has run out (never
        claimed, or its holder gone), of a tenant not in `skip_tenants`, now leased to
        `worker`; None when there is none."""
        free: Doc = {"background": True, "state": "running", "lease_until": {"$lte": now}}
        if skip_tenants:
            free["tenant_id"] = {"$nin": sorted(skip_tenants)}
        cursor = self._ops.find(free, projection={"_id": True}).sort("lease_until", ASCENDING)
        for candidate in await cursor.limit(_CANDIDATES).to_list():
            claimed = await self._ops.find_one_and_update(
                {**free, "_id": candidate["_id"]},
                {
                    "$set": {"lease_owner": worker, "lease_until": now + lease},
                    "$inc": {"attempts": 1},
                },
                return_document=ReturnDocument.AFTER,
            )
            if claimed is not None:  # else another worker was first
                return claimed
        return None

    async def advance(
        self, operation_id: str, worker: str, changes: dict[str, Any], lease: timedelta
    ) -> bool:
        """Record a step (or the end, with `state`) and renew the lease; False when the
        lease went to another worker meanwhile (that one carries on: this one stops)."""
        now = datetime.now(UTC)
        changed = await self._ops.update_one(
            {"_id": operation_id, "lease_owner": worker, "state": "running"},
            {"$set": {**changes, "updated_at": now, "lease_until": now + lease}},
        )
        return changed.matched_count == 1

    async def release(
        self, operation_id: str, worker: str, after: timedelta = timedelta(0)
    ) -> None:
        """Give the operation up unfinished (this gateway is stopping, or a step failed):
        claimed again `after` from now rather than when the lease runs out."""
        until = datetime.now(UTC) + after
        await self._ops.update_one(
            {"_id": operation_id, "lease_owner": worker, "state": "running"},
            {"$set": {"lease_owner": None, "lease_until": until}},
        )
