"""Qualifying purchases over MongoDB: one document per order, and a lock per member."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pymongo import ASCENDING

from libs.mongo import Database, Doc, Session
from services.member.domain.qualifying import QualifyingPurchase

PURCHASES = "qualifying_purchases"
# One document per member whose tier was evaluated: each evaluation writes it.
EVALUATIONS = "tier_evaluations"


async def ensure_qualifying_indexes(db: Database) -> None:
    await db[PURCHASES].create_index(
        [("tenant_id", ASCENDING), ("member_id", ASCENDING), ("occurred_at", ASCENDING)]
    )


def _key(tenant_id: str, id_: str) -> str:
    return f"{tenant_id}:{id_}"


def _purchase_from(doc: Doc) -> QualifyingPurchase:
    return QualifyingPurchase(
        tenant_id=doc["tenant_id"],
        order_id=doc["order_id"],
        member_id=doc["member_id"],
        occurred_at=doc["occurred_at"],
        points=doc["points"],
        spend=Decimal(doc["spend"]),
        reversed_points=doc["reversed_points"],
    )


class MongoQualifyingRepository:
    def __init__(self, db: Database, session: Session | None) -> None:
        self._purchases = db[PURCHASES]
        self._evaluations = db[EVALUATIONS]
        self._session = session

    async def add_purchase(self, purchase: QualifyingPurchase) -> None:
        await self._purchases.update_one(
            {"_id": _key(purchase.tenant_id, purchase.order_id)},
            {
                "$set": {
                    "tenant_id": purchase.tenant_id,
                    "order_id": purchase.order_id,
                    "member_id": purchase.member_id,
                    "occurred_at": purchase.occurred_at,
                    "points": purchase.points,
                    "spend": str(purchase.spend),
                },
                "$setOnInsert": {"reversed_points": 0},
            },
            upsert=True,
            session=self._session,
        )

    async def add_return(
        self, tenant_id: str, order_id: str, member_id: str, points: int, at: datetime
    ) -> None:
        await self._purchases.update_one(
            {"_id": _key(tenant_id, order_id)},
            {
                "$inc": {"reversed_points": points},
                "$setOnInsert": {
                    "tenant_id": tenant_id,
                    "order_id": order_id,
                    "member_id": member_id,
                    "occurred_at": at,
                    "points": 0,
                    "spend": "0",
                },
            },
            upsert=True,
            session=self._session,
        )

    async def add_bonus(
        self, tenant_id: str, order_id: str, member_id: str, points: int, at: datetime
    ) -> None:
        await self._purchases.update_one(
            {"_id": _key(tenant_id, order_id)},
            {
                "$inc": {"points": points},
                "$setOnInsert": {
                    "tenant_id": tenant_id,
                    "order_id": order_id,
                    "member_id": member_id,
                    "occurred_at": at,
                    "spend": "0",
                    "reversed_points": 0,
                },
            },
            upsert=True,
            session=self._session,
        )

    async def of_members(
        self, tenant_id: str, member_ids: list[str], since: datetime
    ) -> list[QualifyingPurchase]:
        query = {
            "tenant_id": tenant_id,
            "member_id": {"$in": member_ids},
            "occurred_at": {"$gte": since},
        }
        cursor = self._purchases.find(query, session=self._session)
        return [_purchase_from(doc) async for doc in cursor]

    async def lock_member(self, tenant_id: str, member_id: str) -> None:
        await self._evaluations.update_one(
            {"_id": _key(tenant_id, member_id)},
            {"$inc": {"evaluations": 1}},
            upsert=True,
            session=self._session,
        )
