"""Segments in MongoDB: their definitions, and their membership worked out by aggregation
over the purchases and member facts and materialised in `segment_members`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from pymongo import ASCENDING, UpdateOne

from libs.mongo import Database, Doc
from services.campaign.campaigns.adapters.history import FACTS, SEGMENT_MEMBERS, facts_from
from services.campaign.campaigns.adapters.history_reads import MongoHistory
from services.campaign.campaigns.domain.segments import (
    Segment,
    SegmentRules,
    WindowStats,
    matches,
    window_start,
)

SEGMENTS = "segments"
MEMBERS = SEGMENT_MEMBERS


async def ensure_segment_indexes(db: Database) -> None:
    await db[SEGMENTS].create_index([("tenant_id", ASCENDING), ("created_at", ASCENDING)])
    await db[SEGMENTS].create_index([("refreshed_at", ASCENDING)])
    await db[MEMBERS].create_index([("segment_id", ASCENDING), ("refreshed_at", ASCENDING)])
    await db[MEMBERS].create_index([("tenant_id", ASCENDING), ("member_id", ASCENDING)])
    await db[MEMBERS].create_index([("segment_id", ASCENDING), ("member_id", ASCENDING)])


def rules_doc(r: SegmentRules) -> Doc:
    return {
        "tiers": sorted(r.tiers),
        "channels": sorted(r.channels),
        "store_ids": sorted(r.store_ids),
        "marketing_consent": r.marketing_consent,
        "recency_days": r.recency_days,
        "window_days": r.window_days,
        "min_orders": r.min_orders,
        "min_spend": _money(r.min_spend),
        "min_days_since_purchase": r.min_days_since_purchase,
        "max_orders": r.max_orders,
        "max_spend": _money(r.max_spend),
        "profiling_consent": r.profiling_consent,
    }


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def rules_from(doc: Doc) -> SegmentRules:
    return SegmentRules(
        tiers=frozenset(doc.get("tiers") or ()),
        channels=frozenset(doc.get("channels") or ()),
        store_ids=frozenset(doc.get("store_ids") or ()),
        marketing_consent=bool(doc.get("marketing_consent")),
        recency_days=doc.get("recency_days"),
        window_days=doc.get("window_days"),
        min_orders=doc.get("min_orders"),
        min_spend=_decimal(doc.get("min_spend")),
        min_days_since_purchase=doc.get("min_days_since_purchase"),
        max_orders=doc.get("max_orders"),
        max_spend=_decimal(doc.get("max_spend")),
        profiling_consent=bool(doc.get("profiling_consent")),
    )


def segment_from(doc: Doc) -> Segment:
    return Segment(
        segment_id=doc["_id"],
        tenant_id=doc["tenant_id"],
        name=doc["name"],
        rules=rules_from(doc.get("rules") or {}),
        created_at=doc["created_at"],
        updated_at=doc["updated_at"],
        size=int(doc.get("size", 0)),
        refreshed_at=doc.get("refreshed_at"),
    )


def facts_filter(tenant_id: str, rules: SegmentRules, now: datetime) -> Doc:
    """What the database can narrow before the rules are checked member by member."""
    query: dict[str, Any] = {"tenant_id": tenant_id, "erased": {"$ne": True}}
    for name, values in (
        ("tier_code", rules.tiers),
        ("channel", rules.channels),
        ("store_id", rules.store_ids),
    ):
        if values:
            query[name] = {"$in": sorted(values)}
    if rules.marketing_consent:
        query["consents.marketing"] = True
    if rules.profiling_consent:
        query["consents.profiling"] = {"$ne": False}
    last: dict[str, Any] = {}
    if rules.recency_days is not None:
        last["$gte"] = now - timedelta(days=rules.recency_days)
    if rules.min_days_since_purchase is not None:
        before = now - timedelta(days=rules.min_days_since_purchase)
        # Never bought (no date) counts as not bought lately, unless a recency bound asks
        # for a purchase anyway.
        last = {**last, "$lt": before} if last else {"$not": {"$gte": before}}
    if last:
        query["last_purchase_at"] = last
    return query


class MongoSegments:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, segment: Segment) -> None:
        await self._db[SEGMENTS].insert_one(
            {
                "_id": segment.segment_id,
                "tenant_id": segment.tenant_id,
                "name": segment.name,
                "rules": rules_doc(segment.rules),
                "created_at": segment.created_at,
                "updated_at": segment.updated_at,
                "size": 0,
                "refreshed_at": None,
            }
        )

    async def save(self, segment: Segment) -> None:
        fields = {"name": segment.name, "rules": rules_doc(segment.rules)}
        await self._db[SEGMENTS].update_one(
            {"_id": segment.segment_id, "tenant_id": segment.tenant_id},
            {"$set": {**fields, "updated_at": segment.updated_at}},
        )

    async def get(self, tenant_id: str, segment_id: str) -> Segment | None:
        doc = await self._db[SEGMENTS].find_one({"_id": segment_id, "tenant_id": tenant_id})
        return None if doc is None else segment_from(doc)

    async def list(self, tenant_id: str) -> list[Segment]:
        cursor = self._db[SEGMENTS].find({"tenant_id": tenant_id}).sort("created_at", -1)
        return [segment_from(doc) async for doc in cursor]

    async def _window_stats(
        self, tenant_id: str, rules: SegmentRules, now: datetime
    ) -> dict[str, WindowStats]:
        start = window_start(rules, now)
        if start is None or not rules.needs_window:
            return {}
        return await MongoHistory(self._db).window_stats(tenant_id, start, now)

    async def members(self, tenant_id: str, rules: SegmentRules, now: datetime) -> set[str]:
        """The members the rules hold now."""
        stats = await self._window_stats(tenant_id, rules, now)
        cursor = self._db[FACTS].find(facts_filter(tenant_id, rules, now))
        held = set()
        async for doc in cursor:
            facts = facts_from(doc)
            if matches(rules, facts, stats.get(facts.member_id, WindowStats()), now):
                held.add(facts.member_id)
        return held

    async def materialise(self, segment: Segment, now: datetime) -> int:
        """Replace the stored membership with what the rules hold now; its size."""
        held = await self.members(segment.tenant_id, segment.rules, now)
        base = {"tenant_id": segment.tenant_id, "segment_id": segment.segment_id}
        writes = [
            UpdateOne(
                {"_id": f"{segment.segment_id}:{member_id}"},
                {"$set": {**base, "member_id": member_id, "refreshed_at": now}},
                upsert=True,
            )
            for member_id in sorted(held)
        ]
        for start in range(0, len(writes), 1000):
            await self._db[MEMBERS].bulk_write(writes[start : start + 1000], ordered=False)
        await self._db[MEMBERS].delete_many(
            {"segment_id": segment.segment_id, "refreshed_at": {"$ne": now}}
        )
        await self._db[SEGMENTS].update_one(
            {"_id": segment.segment_id}, {"$set": {"size": len(held), "refreshed_at": now}}
        )
        return len(held)

    async def claim_stale(self, now: datetime, max_age: timedelta) -> Segment | None:
        """One segment whose membership is older than `max_age`, leased to this replica
        (its stamp moves forward at once, so another replica picks another one)."""
        doc = await self._db[SEGMENTS].find_one_and_update(
            {
                "$or": [
                    {"refreshed_at": None},
                    {"refreshed_at": {"$lt": now - max_age}},
                ],
                "leased_until": {"$not": {"$gt": now}},
            },
            {"$set": {"leased_until": now + timedelta(minutes=5)}},
        )
        return None if doc is None else segment_from(doc)

    async def member_ids(self, tenant_id: str, segment_id: str) -> frozenset[str]:
        cursor = self._db[MEMBERS].find(
            {"tenant_id": tenant_id, "segment_id": segment_id}, {"member_id": 1}
        )
        return frozenset([doc["member_id"] async for doc in cursor])

    async def member_page(
        self, tenant_id: str, segment_id: str, after: str, limit: int
    ) -> Sequence[str]:
        query = {"tenant_id": tenant_id, "segment_id": segment_id, "member_id": {"$gt": after}}
        cursor = (
            self._db[MEMBERS].find(query, {"_id": 0, "member_id": 1}).sort("member_id").limit(limit)
        )
        return [doc["member_id"] async for doc in cursor]

    async def consents_now(self, tenant_id: str, member_id: str) -> bool:
        doc = await self._db[FACTS].find_one(
            {"_id": f"{tenant_id}:{member_id}", "erased": {"$ne": True}}, {"consents": 1}
        )
        return bool(doc and (doc.get("consents") or {}).get("marketing"))

    async def consenting(self, tenant_id: str) -> frozenset[str]:
        cursor = self._db[FACTS].find(
            {"tenant_id": tenant_id, "consents.marketing": True, "erased": {"$ne": True}},
            {"member_id": 1},
        )
        return frozenset([doc["member_id"] async for doc in cursor])
