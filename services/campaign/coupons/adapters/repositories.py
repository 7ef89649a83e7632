"""Coupon templates, coupons and redemptions over MongoDB, for one unit of work.

Uniqueness lives in keys: a code is unique per tenant (the coupon's `_id`), so is an issue
key (a unique index) and a redemption id (its `_id`). A redemption counts against its
coupon only through an update guarded by the count it read, inside the transaction that
records it, so two tills redeeming the same coupon at once cannot both succeed: the second
one's transaction conflicts, runs again, and finds the coupon used up.
"""

from __future__ import annotations

from collections.abc import Sequence

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import BulkWriteError, DuplicateKeyError

from libs.mongo import Database, Doc, Session
from libs.unit_of_work import EventRepositories
from services.campaign.coupons.adapters.documents import (
    coupon_doc,
    coupon_from,
    coupon_key,
    redemption_doc,
    redemption_from,
    template_doc,
    template_from,
)
from services.campaign.coupons.domain.batches import KeyedBatch
from services.campaign.coupons.domain.coupons import Coupon
from services.campaign.coupons.domain.events import CouponEvent
from services.campaign.coupons.domain.ports import CodeTaken, IssueKeyTaken, RedemptionTaken
from services.campaign.coupons.domain.redemptions import Redemption
from services.campaign.coupons.domain.templates import CouponTemplate, TemplateUsage

TEMPLATES = "coupon_templates"
COUPONS = "coupons"
REDEMPTIONS = "coupon_redemptions"
MEMBER_USES = "coupon_member_uses"
BATCHES = "coupon_batches"
DUPLICATE_KEY = 11000


async def ensure_coupon_indexes(db: Database) -> None:
    await db[TEMPLATES].create_index([("tenant_id", ASCENDING), ("created_at", DESCENDING)])
    coupons = db[COUPONS]
    # Bulk codes have no key, member or batch fields at all: the partial indexes skip them,
    # which keeps generating a large batch quick.
    await coupons.create_index(
        [("tenant_id", ASCENDING), ("issue_key", ASCENDING)],
        unique=True,
        name="tenant_issue_key",
        partialFilterExpression={"issue_key": {"$exists": True}},
    )
    await coupons.create_index(
        [("tenant_id", ASCENDING), ("member_id", ASCENDING), ("issued_at", DESCENDING)],
        name="tenant_member_issued",
        partialFilterExpression={"member_id": {"$exists": True}},
    )
    await coupons.create_index(
        [("tenant_id", ASCENDING), ("batch_id", ASCENDING), ("code", ASCENDING)],
        name="tenant_batch_code",
        partialFilterExpression={"batch_id": {"$exists": True}},
    )
    await coupons.create_index(
        [("tenant_id", ASCENDING), ("template_id", ASCENDING)], name="tenant_template"
    )
    # A keyed batch's place holds one code: two calls completing the batch at once cannot
    # both fill it. Unkeyed codes have no place and stay out of the index.
    await coupons.create_index(
        [("tenant_id", ASCENDING), ("batch_id", ASCENDING), ("batch_slot", ASCENDING)],
        unique=True,
        name="tenant_batch_slot",
        partialFilterExpression={"batch_slot": {"$exists": True}},
    )


class MongoTemplates:
    def __init__(self, db: Database, session: Session | None) -> None:
        self._col = db[TEMPLATES]
        self._session = session

    async def add(self, template: CouponTemplate) -> None:
        await self._col.insert_one(template_doc(template), session=self._session)

    async def get(self, tenant_id: str, template_id: str) -> CouponTemplate | None:
        doc = await self._col.find_one(
            {"_id": template_id, "tenant_id": tenant_id}, session=self._session
        )
        return None if doc is None else template_from(doc)

    async def save(self, template: CouponTemplate) -> None:
        doc = template_doc(template)
        await self._col.replace_one({"_id": doc["_id"]}, doc, session=self._session)

    async def list(self, tenant_id: str, limit: int) -> list[CouponTemplate]:
        cursor = self._col.find({"tenant_id": tenant_id}, session=self._session)
        docs = cursor.sort("created_at", DESCENDING).limit(limit)
        return [template_from(doc) async for doc in docs]


class MongoCoupons:
    def __init__(self, db: Database, session: Session | None) -> None:
        self._db = db
        self._col = db[COUPONS]
        self._session = session

    async def add(self, coupon: Coupon) -> bool:
        try:
            await self._col.insert_one(coupon_doc(coupon), session=self._session)
        except DuplicateKeyError as exc:
            if "issue_key" in (exc.details or {}).get("keyPattern", {}):
                raise IssueKeyTaken(coupon.issue_key) from exc
            raise CodeTaken(coupon.code) from exc
        return True

    async def add_many(self, coupons: Sequence[Coupon]) -> list[Coupon]:
        try:
            await self._col.insert_many([coupon_doc(c) for c in coupons], ordered=False)
        except BulkWriteError as exc:
            failed = exc.details.get("writeErrors", [])
            if any(e.get("code") != DUPLICATE_KEY for e in failed):
                raise
            return [coupons[e["index"]] for e in failed]
        return []

    async def claim_batch(self, batch: KeyedBatch) -> KeyedBatch:
        # The key is the primary key: of two claims at once, one inserts and one reads it.
        key = f"{batch.tenant_id}:{batch.template_id}:{batch.request_id}"
        batches = self._db[BATCHES]
        try:
            await batches.insert_one(
                {
                    "_id": key,
                    "tenant_id": batch.tenant_id,
                    "template_id": batch.template_id,
                    "request_id": batch.request_id,
                    "batch_id": batch.batch_id,
                    "count": batch.count,
                    "created_at": batch.created_at,
                }
            )
        except DuplicateKeyError:
            doc = await batches.find_one({"_id": key})
            if doc is None:  # pragma: no cover - a claim is never deleted
                raise
            return KeyedBatch(
                tenant_id=doc["tenant_id"],
                template_id=doc["template_id"],
                request_id=doc["request_id"],
                batch_id=doc["batch_id"],
                count=int(doc["count"]),
                created_at=doc["created_at"],
            )
        return batch

    async def batch_places(self, tenant_id: str, batch_id: str) -> set[int]:
        query = {"tenant_id": tenant_id, "batch_id": batch_id, "batch_slot": {"$exists": True}}
        cursor = self._col.find(query, {"batch_slot": 1, "_id": 0})
        return {int(doc["batch_slot"]) async for doc in cursor}

    async def by_code(self, tenant_id: str, code: str) -> Coupon | None:
        doc = await self._col.find_one({"_id": coupon_key(tenant_id, code)}, session=self._session)
        return None if doc is None else coupon_from(doc)

    async def by_issue_key(self, tenant_id: str, issue_key: str) -> Coupon | None:
        doc = await self._col.find_one(
            {"tenant_id": tenant_id, "issue_key": issue_key}, session=self._session
        )
        return None if doc is None else coupon_from(doc)

    async def of_member(self, tenant_id: str, member_id: str, limit: int) -> list[Coupon]:
        query = {"tenant_id": tenant_id, "member_id": member_id}
        cursor = self._col.find(query, session=self._session).sort("issued_at", DESCENDING)
        return [coupon_from(doc) async for doc in cursor.limit(limit)]

    async def of_batch(self, tenant_id: str, batch_id: str, after: str, limit: int) -> list[Coupon]:
        query = {"tenant_id": tenant_id, "batch_id": batch_id, "code": {"$gt": after}}
        cursor = self._col.find(query, session=self._session).sort("code", ASCENDING)
        return [coupon_from(doc) async for doc in cursor.limit(limit)]

    async def use(self, coupon: Coupon) -> bool:
        moved = await self._col.update_one(
            {"_id": coupon_key(coupon.tenant_id, coupon.code), "redemptions": coupon.redemptions},
            {"$inc": {"redemptions": 1}},
            session=self._session,
        )
        return moved.modified_count == 1

    async def member_uses(self, coupon_id: str, member_id: str) -> int:
        key = f"{coupon_id}:{member_id}"
        doc = await self._db[MEMBER_USES].find_one({"_id": key}, session=self._session)
        return 0 if doc is None else int(doc["count"])

    async def use_for_member(self, coupon: Coupon, member_id: str) -> bool:
        uses = self._db[MEMBER_USES]
        key = f"{coupon.coupon_id}:{member_id}"
        doc = await uses.find_one({"_id": key}, session=self._session)
        count = 0 if doc is None else int(doc["count"])
        if coupon.per_member_limit is not None and count >= coupon.per_member_limit:
            return False
        try:
            moved = await uses.update_one(
                {"_id": key, "count": count},
                {"$inc": {"count": 1}, "$setOnInsert": {"coupon_id": coupon.coupon_id}},
                session=self._session,
                upsert=doc is None,
            )
        except DuplicateKeyError:
            # The same member's first use at another till committed meanwhile: refused
            # (within a limit of one that is the answer; above it the till may try again).
            return False
        return moved.modified_count == 1 or moved.upserted_id is not None

    async def usage(self, tenant_id: str, template_ids: Sequence[str]) -> list[TemplateUsage]:
        pipeline: list[Doc] = [
            {"$match": {"tenant_id": tenant_id, "template_id": {"$in": list(template_ids)}}},
            {
                "$group": {
                    "_id": "$template_id",
                    "coupons": {"$sum": 1},
                    "redemptions": {"$sum": "$redemptions"},
                    "redeemed": {"$sum": {"$cond": [{"$gt": ["$redemptions", 0]}, 1, 0]}},
                }
            },
        ]
        cursor = await self._col.aggregate(pipeline, session=self._session)
        found = {
            row["_id"]: TemplateUsage(
                row["_id"], row["coupons"], row["redemptions"], row["redeemed"]
            )
            async for row in cursor
        }
        return [found.get(t, TemplateUsage(t)) for t in template_ids]

    async def reassign(self, tenant_id: str, from_member: str, to_member: str) -> int:
        moved = await self._col.update_many(
            {"tenant_id": tenant_id, "member_id": from_member},
            {"$set": {"member_id": to_member}},
            session=self._session,
        )
        return moved.modified_count


class MongoRedemptions:
    def __init__(self, db: Database, session: Session | None) -> None:
        self._col = db[REDEMPTIONS]
        self._session = session

    async def get(self, tenant_id: str, redemption_id: str) -> Redemption | None:
        doc = await self._col.find_one(
            {"_id": f"{tenant_id}:{redemption_id}"}, session=self._session
        )
        return None if doc is None else redemption_from(doc)

    async def add(self, redemption: Redemption) -> None:
        try:
            await self._col.insert_one(redemption_doc(redemption), session=self._session)
        except DuplicateKeyError as exc:
            raise RedemptionTaken(redemption.redemption_id) from exc


class MongoCouponRepositories(EventRepositories[CouponEvent]):
    def __init__(self, db: Database, session: Session | None) -> None:
        super().__init__(db, session)
        self.templates = MongoTemplates(db, session)
        self.coupons = MongoCoupons(db, session)
        self.redemptions = MongoRedemptions(db, session)
