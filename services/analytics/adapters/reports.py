"""The reports' reads: buckets summed by aggregation, members counted, wallets summed."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime

from libs.mongo import Database, Doc
from services.analytics.adapters.bucket_sums import bucket_queries, summed
from services.analytics.adapters.buckets import BUCKETS, views_for
from services.analytics.adapters.documents import (
    campaign_of,
    last_purchase,
    lot_of,
)
from services.analytics.adapters.holdout_buckets import HoldoutBuckets
from services.analytics.adapters.kept_churn_risks import KeptChurnRisks
from services.analytics.adapters.kept_day_rows import KeptDayRows
from services.analytics.adapters.kept_range_sums import KeptRangeSums
from services.analytics.adapters.liability import (
    points_between,
    points_by_day,
    points_by_minute,
    wallet_totals,
)
from services.analytics.adapters.profile_reads import ProfileReads
from services.analytics.adapters.read_model import CAMPAIGNS, MEMBERS
from services.analytics.adapters.running import keeps_running, running_sum
from services.analytics.domain.buckets import Kind
from services.analytics.domain.days import to_millisecond
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


def _filters(scope: Scope, kind: Kind) -> dict[str, Collection[str]]:
    """The values each dimension the scope filters the kind by may take."""
    applies = FILTERED.get(kind, ())
    wanted: dict[str, Collection[str]] = {}
    if "store_id" in applies and scope.store_ids:
        wanted["store_id"] = frozenset(scope.store_ids)
    if "channel" in applies and scope.channel:
        wanted["channel"] = (scope.channel,)
    if "tier" in applies and scope.tier:
        wanted["tier"] = (scope.tier,)
    return wanted


class MongoReports(ProfileReads, Reports):
    def __init__(self, db: Database) -> None:
        self._db = db
        self._holdouts = HoldoutBuckets()
        self._range_sums = KeptRangeSums()
        self._day_rows = KeptDayRows()
        self._churn_risks = KeptChurnRisks()

    async def sums(
        self, scope: Scope, kind: Kind, by: Sequence[str], *, from_day: str, to_day: str
    ) -> list[Row]:
        """Whole months from the months' documents, the days at the ends (or every day,
        grouped by day) from the days', of the smallest view holding the dimensions
        grouped and filtered by: each query walks the buckets' index. A view that keeps
        opening balances is read from them when that reads less (adapters/running.py)."""
        wanted = _filters(scope, kind)
        docs: list[Doc] = []
        for view in views_for(kind.value, set(by) - {"day"}, wanted):
            if "day" not in by and keeps_running(kind.value, view):
                rows = await running_sum(
                    self._db, scope.tenant_id, kind.value, view, from_day=from_day, to_day=to_day
                )
                if rows is not None:
                    docs.append({"r": rows})
                    continue
            queries = bucket_queries(
                scope.tenant_id, kind.value, from_day, to_day, by_day="day" in by, view=view
            )
            for query in queries:
                found = self._db[BUCKETS].find(query, {"_id": 0, "d": 1, "r": 1})
                docs += [doc async for doc in found]
        return summed(docs, by, COUNTERS.get(kind), wanted)

    async def counters(
        self, tenant_id: str, kind: Kind, names: Sequence[str], *, from_day: str, to_day: str
    ) -> dict[str, int]:
        scope = Scope(tenant_id, from_day, to_day)
        rows = await self.sums(scope, kind, (), from_day=from_day, to_day=to_day)
        found = rows[0][1] if rows else {}
        return {name: int(found.get(name, 0)) for name in names}

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

    async def wallet_totals(self, tenant_id: str) -> Totals:
        return await wallet_totals(self._db, tenant_id)

    async def expiring_by_day(self, tenant_id: str, from_day: str, to_day: str) -> dict[str, int]:
        return await points_by_day(self._db, tenant_id, from_day, to_day)

    async def expiring_by_minute(
        self, tenant_id: str, days: Sequence[str]
    ) -> dict[str, dict[str, int]]:
        return await points_by_minute(self._db, tenant_id, days)

    async def expiring_between(self, tenant_id: str, start: datetime, end: datetime) -> int:
        return await points_between(self._db, tenant_id, start, end)

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
