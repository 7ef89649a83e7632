"""The reports' reads: buckets summed by aggregation, members counted, wallets summed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from libs.mongo import Database, Doc
from services.analytics.adapters.documents import (
    campaign_of,
    last_purchase,
    lot_of,
    to_millisecond,
)
from services.analytics.adapters.profile_reads import ProfileReads
from services.analytics.adapters.read_model import BUCKETS, CAMPAIGNS, MEMBERS
from services.analytics.domain.buckets import Kind
from services.analytics.domain.facts import CampaignInfo, Lot
from services.analytics.domain.ports import (
    Reports,
    Row,
    Scope,
    Settings,
    Totals,
)

SETTINGS = "settings"
NO_TIME = datetime.min.replace(tzinfo=UTC)
COUNTERS: dict[Kind, tuple[str, ...]] = {
    Kind.ENROLMENTS: ("members",),
    Kind.POINTS: ("issued", "redeemed", "expired", "reversed", "adjusted"),
    Kind.ORDERS: ("orders", "gross", "returned"),
    Kind.LINES: ("quantity", "gross", "returned_quantity", "returned"),
    Kind.TIERS: ("members",),
    Kind.CAMPAIGNS: ("points", "grants"),
}
FILTERED: dict[Kind, tuple[str, ...]] = {
    Kind.ENROLMENTS: ("store_id", "channel"),
    Kind.POINTS: ("store_id", "channel"),
    Kind.ORDERS: ("store_id", "channel", "tier"),
    Kind.LINES: ("store_id", "channel", "tier"),
    Kind.TIERS: (),
    Kind.CAMPAIGNS: (),
}


# The fields of the buckets' index (repositories.ensure_indexes), which their reads start from.
BUCKET_INDEX = ("t", "k", "d")


def indexed_first(query: Doc, index: Sequence[str]) -> list[Doc]:
    """A filter as two `$match` stages: the index's fields first, then the rest on what
    they found. SecantusDB walks an index only for equalities followed by at most one
    range; any other operator in the same filter makes it read the whole collection,
    every kind and every tenant. (Not for members: there the tenant's index is the only
    one, and fetching a tenant's documents through it is slower than that whole read.)"""
    first = {name: query[name] for name in index if name in query}
    rest = {name: value for name, value in query.items() if name not in first}
    return [{"$match": first}, *([{"$match": rest}] if rest else [])]


def _filters(scope: Scope, kind: Kind) -> Doc:
    applies = FILTERED[kind]
    match: Doc = {}
    if "store_id" in applies and scope.store_ids:
        match["store_id"] = {"$in": list(scope.store_ids)}
    if "channel" in applies and scope.channel:
        match["channel"] = scope.channel
    if "tier" in applies and scope.tier:
        match["tier"] = scope.tier
    return match


class MongoReports(ProfileReads, Reports):
    def __init__(self, db: Database) -> None:
        self._db = db

    async def sums(
        self, scope: Scope, kind: Kind, by: Sequence[str], *, from_day: str, to_day: str
    ) -> list[Row]:
        match: Doc = {
            "t": scope.tenant_id,
            "k": kind.value,
            "d": {"$gte": from_day, "$lte": to_day},
        }
        match.update(_filters(scope, kind))
        ids = {name: "$d" if name == "day" else f"${name}" for name in by}
        group: Doc = {"_id": ids or None}
        group.update({name: {"$sum": f"$c.{name}"} for name in COUNTERS[kind]})
        cursor = await self._db[BUCKETS].aggregate(
            [*indexed_first(match, BUCKET_INDEX), {"$group": group}]
        )
        rows: list[Row] = []
        async for doc in cursor:
            found = doc["_id"] or {}
            keys = {name: str(found.get(name) or "") for name in by}
            rows.append((keys, {name: int(doc.get(name) or 0) for name in COUNTERS[kind]}))
        rows.sort(key=lambda row: tuple(row[0].values()))
        return rows

    async def counters(
        self, tenant_id: str, kind: Kind, names: Sequence[str], *, from_day: str, to_day: str
    ) -> dict[str, int]:
        match: Doc = {"t": tenant_id, "k": kind.value, "d": {"$gte": from_day, "$lte": to_day}}
        # a counter's name may hold characters a result field may not: numbered instead
        group: Doc = {"_id": None}
        group.update({f"n{i}": {"$sum": f"$c.{name}"} for i, name in enumerate(names)})
        cursor = await self._db[BUCKETS].aggregate([{"$match": match}, {"$group": group}])
        found: Doc = {}
        async for doc in cursor:
            found = doc
        return {name: int(found.get(f"n{i}") or 0) for i, name in enumerate(names)}

    async def last_purchases(self, scope: Scope, after_day: str, to_day: str) -> list[str]:
        bought: Doc = {"d": {"$gt": after_day, "$lte": to_day}}
        if scope.store_ids:
            bought["s"] = {"$in": list(scope.store_ids)}
        if scope.channel:
            bought["c"] = scope.channel
        query: Doc = {
            "t": scope.tenant_id,
            "merged_into": {"$in": [None, ""]},
            "buys": {"$elemMatch": bought},
        }
        cursor = self._db[MEMBERS].find(query, {"_id": 0, "buys": 1})
        return [last_purchase(doc, scope, after_day, to_day) async for doc in cursor]

    async def campaigns(self, tenant_id: str) -> dict[str, CampaignInfo]:
        cursor = self._db[CAMPAIGNS].find({"t": tenant_id}, {"_id": 0})
        return {doc["c"]: campaign_of(doc) async for doc in cursor}

    async def wallets(self, tenant_id: str) -> Totals:
        return (await self.wallets_and_lots(tenant_id, NO_TIME, NO_TIME))[0]

    async def wallets_and_lots(
        self, tenant_id: str, after: datetime, until: datetime
    ) -> tuple[Totals, list[Lot]]:
        query: Doc = {"t": tenant_id, "available": {"$exists": True}}
        fields = {"_id": 0, "available": 1, "held": 1, "pending": 1, "lots": 1}
        cursor = self._db[MEMBERS].find(query, fields)
        available = held = pending = members = 0
        lots: list[Lot] = []
        # As the database compares them: to the millisecond.
        after, until = to_millisecond(after), to_millisecond(until)
        async for doc in cursor:
            available += int(doc.get("available") or 0)
            held += int(doc.get("held") or 0)
            pending += int(doc.get("pending") or 0)
            members += 1
            lots += [
                lot for lot in map(lot_of, doc.get("lots") or []) if after < lot.expires_at <= until
            ]
        return Totals(available, held, pending, members), lots

    async def settings(self, tenant_id: str) -> Settings:
        doc = await self._db[SETTINGS].find_one({"_id": tenant_id})
        if doc is None:
            return Settings()
        return Settings(doc.get("point_value", ""), doc.get("currency", ""))

    async def put_settings(self, tenant_id: str, settings: Settings) -> None:
        await self._db[SETTINGS].update_one(
            {"_id": tenant_id},
            {"$set": {"point_value": settings.point_value, "currency": settings.currency}},
            upsert=True,
        )
