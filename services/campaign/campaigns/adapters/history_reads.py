"""Reads over the purchases and member facts: per-member figures over a window (by
aggregation), the orders of a period, the tenant's known members."""

from __future__ import annotations

from datetime import datetime

from libs.mongo import Database, Doc
from services.campaign.campaigns.adapters.history import FACTS, PURCHASES, facts_from, order_from
from services.campaign.campaigns.domain.history import MemberFacts, OrderRecord
from services.campaign.campaigns.domain.segments import WindowStats


class MongoHistory:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def window_stats(
        self, tenant_id: str, start: datetime, end: datetime
    ) -> dict[str, WindowStats]:
        """Orders and spend (less returns) per member with purchases in [start, end]."""
        pipeline: list[Doc] = [
            {"$match": {"tenant_id": tenant_id, "occurred_at": {"$gte": start, "$lte": end}}},
            {
                "$group": {
                    "_id": "$member_id",
                    "orders": {"$sum": 1},
                    "spend": {"$sum": {"$subtract": ["$total_cents", "$returned_cents"]}},
                }
            },
        ]
        cursor = await self._db[PURCHASES].aggregate(pipeline)
        return {
            doc["_id"]: WindowStats(int(doc["orders"]), max(0, int(doc["spend"])))
            async for doc in cursor
        }

    async def orders_between(
        self, tenant_id: str, start: datetime, end: datetime
    ) -> list[OrderRecord]:
        query = {"tenant_id": tenant_id, "occurred_at": {"$gte": start, "$lte": end}}
        cursor = self._db[PURCHASES].find(query).sort([("occurred_at", 1), ("order_id", 1)])
        return [order_from(doc) async for doc in cursor]

    async def members(self, tenant_id: str) -> frozenset[str]:
        cursor = self._db[FACTS].find(
            {"tenant_id": tenant_id, "erased": {"$ne": True}}, {"member_id": 1}
        )
        return frozenset([doc["member_id"] async for doc in cursor])

    async def facts(self, tenant_id: str, member_id: str) -> MemberFacts | None:
        doc = await self._db[FACTS].find_one(
            {"_id": f"{tenant_id}:{member_id}", "erased": {"$ne": True}}
        )
        return None if doc is None else facts_from(doc)

    async def lapsed_between(
        self, tenant_id: str, start: datetime, end: datetime
    ) -> list[MemberFacts]:
        """Members whose last purchase lies in [start, end)."""
        query = {
            "tenant_id": tenant_id,
            "erased": {"$ne": True},
            "last_purchase_at": {"$gte": start, "$lt": end},
        }
        return [facts_from(doc) async for doc in self._db[FACTS].find(query)]
