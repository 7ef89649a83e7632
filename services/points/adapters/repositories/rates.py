"""The tenants' exchange rates in MongoDB: one document per tenant, currency and
`valid_from`, found by the latest `valid_from` at or before an order's time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from pymongo import ASCENDING, DESCENDING

from libs.mongo import Database, Doc, Session
from services.points.domain.exchange import ExchangeRate

EXCHANGE_RATES = "exchange_rates"
# More than any tenant keeps; a list beyond it is cut (newest kept).
MAX_LISTED = 5000


async def ensure_rate_indexes(db: Database) -> None:
    await db[EXCHANGE_RATES].create_index(
        [("tenant_id", ASCENDING), ("currency", ASCENDING), ("valid_from", DESCENDING)]
    )


def _key(tenant_id: str, rate: ExchangeRate) -> str:
    return f"{tenant_id}|{rate.currency}|{rate.valid_from.astimezone(UTC).isoformat()}"


def rate_to_doc(tenant_id: str, rate: ExchangeRate) -> Doc:
    return {
        "_id": _key(tenant_id, rate),
        "tenant_id": tenant_id,
        "currency": rate.currency,
        "valid_from": rate.valid_from,
        "rate": str(rate.rate),
        "set_by": rate.set_by,
        "set_at": rate.set_at,
    }


def rate_from_doc(doc: Doc) -> ExchangeRate:
    return ExchangeRate(
        currency=doc["currency"],
        valid_from=doc["valid_from"],
        rate=Decimal(doc["rate"]),
        set_by=doc.get("set_by", ""),
        set_at=doc.get("set_at"),
    )


class MongoExchangeRateRepository:
    def __init__(self, db: Database, session: Session | None) -> None:
        self._collection = db[EXCHANGE_RATES]
        self._session = session

    async def rate_at(self, tenant_id: str, currency: str, at: datetime) -> ExchangeRate | None:
        query = {"tenant_id": tenant_id, "currency": currency, "valid_from": {"$lte": at}}
        cursor = self._collection.find(query, session=self._session)
        rows = await cursor.sort("valid_from", DESCENDING).limit(1).to_list()
        return rate_from_doc(rows[0]) if rows else None

    async def put(self, tenant_id: str, rates: Sequence[ExchangeRate]) -> list[ExchangeRate | None]:
        keys = [_key(tenant_id, rate) for rate in rates]
        cursor = self._collection.find({"_id": {"$in": keys}}, session=self._session)
        before = {doc["_id"]: rate_from_doc(doc) for doc in await cursor.to_list()}
        for rate in rates:
            doc = rate_to_doc(tenant_id, rate)
            await self._collection.replace_one(
                {"_id": doc["_id"]}, doc, upsert=True, session=self._session
            )
        return [before.get(key) for key in keys]

    async def all(self, tenant_id: str, currency: str = "") -> list[ExchangeRate]:
        query: Doc = {"tenant_id": tenant_id}
        if currency:
            query["currency"] = currency
        cursor = self._collection.find(query, session=self._session)
        order = [("currency", ASCENDING), ("valid_from", DESCENDING)]
        rows = await cursor.sort(order).limit(MAX_LISTED).to_list()
        return [rate_from_doc(row) for row in rows]
