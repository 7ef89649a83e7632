"""Each member's tier progress over MongoDB: one document per member (`tier_progress`)
holding the orders it keeps and the ids of the events that changed them, written whole.

Members whose progress was kept by earlier versions, one `qualifying_purchases` document
per order, have their book started from those documents the first time it is read."""

from __future__ import annotations

from decimal import Decimal

from pymongo import ASCENDING

from libs.clock import utc_now
from libs.mongo import Database, Doc, Session
from services.member.domain.qualifying import QualifyingPurchase
from services.member.domain.tier_book import QualifyingBook

PROGRESS = "tier_progress"
# Earlier versions' documents, one per order: read only to start a member's book.
PURCHASES = "qualifying_purchases"


async def ensure_qualifying_indexes(db: Database) -> None:
    await db[PURCHASES].create_index(
        [("tenant_id", ASCENDING), ("member_id", ASCENDING), ("occurred_at", ASCENDING)]
    )


def _key(tenant_id: str, id_: str) -> str:
    return f"{tenant_id}:{id_}"


def _order_from(tenant_id: str, member_id: str, doc: Doc) -> QualifyingPurchase:
    return QualifyingPurchase(
        tenant_id=tenant_id,
        order_id=doc["order_id"],
        member_id=member_id,
        occurred_at=doc["occurred_at"],
        points=int(doc["points"]),
        spend=Decimal(doc["spend"]),
        reversed_points=int(doc.get("reversed_points", 0)),
        events=tuple(doc.get("events") or ()),
    )


def _order_doc(order: QualifyingPurchase) -> Doc:
    return {
        "order_id": order.order_id,
        "occurred_at": order.occurred_at,
        "points": order.points,
        "spend": str(order.spend),
        "reversed_points": order.reversed_points,
        "events": list(order.events),
    }


class MongoQualifyingRepository:
    def __init__(self, db: Database, session: Session | None) -> None:
        self._progress = db[PROGRESS]
        self._purchases = db[PURCHASES]
        self._session = session

    async def books(self, tenant_id: str, member_ids: list[str]) -> list[QualifyingBook]:
        keys = {_key(tenant_id, m): m for m in member_ids}
        cursor = self._progress.find({"_id": {"$in": list(keys)}}, session=self._session)
        books = {}
        async for doc in cursor:
            member_id = keys[doc["_id"]]
            orders = tuple(_order_from(tenant_id, member_id, o) for o in doc.get("orders", ()))
            books[member_id] = QualifyingBook(tenant_id, member_id, orders)
        missing = [m for m in member_ids if m not in books]
        if missing:
            books.update(await self._earlier(tenant_id, missing))
        return [books[m] for m in member_ids]

    async def _earlier(self, tenant_id: str, member_ids: list[str]) -> dict[str, QualifyingBook]:
        """Books started from earlier versions' documents (empty for new members)."""
        orders: dict[str, list[QualifyingPurchase]] = {m: [] for m in member_ids}
        query = {"tenant_id": tenant_id, "member_id": {"$in": member_ids}}
        async for doc in self._purchases.find(query, session=self._session):
            orders[doc["member_id"]].append(_order_from(tenant_id, doc["member_id"], doc))
        return {m: QualifyingBook(tenant_id, m, tuple(orders[m])) for m in member_ids}

    async def save(self, book: QualifyingBook) -> None:
        doc: Doc = {
            "tenant_id": book.tenant_id,
            "member_id": book.member_id,
            "orders": [_order_doc(o) for o in book.orders],
            "updated_at": utc_now(),
        }
        await self._progress.replace_one(
            {"_id": _key(book.tenant_id, book.member_id)}, doc, upsert=True, session=self._session
        )
