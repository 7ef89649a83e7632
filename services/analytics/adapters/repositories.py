"""The analytics unit of work over MongoDB: the inbox claims, the event log, the rebuild
flag and the read model, all in one transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from pymongo import ASCENDING, UpdateOne

from libs.inbox import claim_events
from libs.mongo import Database, Doc, MongoClient, Session, run_in_transaction
from services.analytics.adapters.buckets import BUCKET_INDEX, BUCKETS
from services.analytics.adapters.cohort_counts import COHORTS
from services.analytics.adapters.liability import DAY_INDEX, INSTANT_INDEX, LIABILITY
from services.analytics.adapters.pages import PAGES
from services.analytics.adapters.read_model import (
    CAMPAIGNS,
    MEMBERS,
    ORDERS,
    PAGE_BYTES_A_TRANSACTION,
    MongoReadModel,
)
from services.analytics.adapters.running import RUNNING
from services.analytics.domain.layout import Control
from services.analytics.domain.ports import LoggedEvent, Repositories, UnitOfWork

T = TypeVar("T")
LOG = "log"
CONTROL = "control"
REBUILD = "rebuild"


async def ensure_indexes(db: Database) -> None:
    await db[LOG].create_index([("seq", ASCENDING)], name="seq")
    await db[BUCKETS].create_index(
        [(name, ASCENDING) for name in BUCKET_INDEX], name="tenant_kind_period"
    )
    await db[MEMBERS].create_index([("t", ASCENDING)], name="tenant")
    for name, index in (("tenant_kind_day", DAY_INDEX), ("tenant_kind_at", INSTANT_INDEX)):
        await db[LIABILITY].create_index([(field, ASCENDING) for field in index], name=name)
    await db[PAGES].create_index([("t", ASCENDING)], name="tenant")
    await db[COHORTS].create_index([("t", ASCENDING), ("m", ASCENDING)], name="tenant_month")


class MongoRepositories(Repositories):
    def __init__(
        self, db: Database, session: Session, page_bytes: int = PAGE_BYTES_A_TRANSACTION
    ) -> None:
        self._db = db
        self._session = session
        self.read_model = MongoReadModel(db, session, page_bytes=page_bytes)

    async def claim(self, consumer: str, event_ids: Sequence[str]) -> set[str]:
        return await claim_events(self._db, self._session, consumer, event_ids)

    async def log(self, events: Sequence[LoggedEvent]) -> None:
        # Upserts, not inserts: an event that came again after its inbox row aged out would
        # otherwise abort the whole batch's transaction on its duplicate key.
        rows = [
            UpdateOne(
                {"_id": e.event_id},
                {
                    "$setOnInsert": {
                        "t": e.tenant_id,
                        "seq": e.seq,
                        "subject": e.subject,
                        "data": e.data,
                    }
                },
                upsert=True,
            )
            for e in events
        ]
        if rows:
            await self._db[LOG].bulk_write(rows, ordered=False, session=self._session)

    async def enter(self) -> Control:
        doc = await self._db[CONTROL].find_one_and_update(
            {"_id": REBUILD},
            {"$inc": {"writes": 1}},
            upsert=True,
            return_document=True,
            session=self._session,
        )
        return control_of(doc or {})

    async def control(self) -> Control:
        doc = await self._db[CONTROL].find_one({"_id": REBUILD}, session=self._session)
        return control_of(doc or {})

    async def logged_after(self, seq: int, limit: int) -> list[LoggedEvent]:
        cursor = (
            self._db[LOG]
            .find({"seq": {"$gt": seq}}, session=self._session)
            .sort("seq", ASCENDING)
            .limit(limit)
        )
        return [
            LoggedEvent(d["_id"], d["t"], d["seq"], d["subject"], bytes(d["data"]))
            async for d in cursor
        ]

    async def logged_any(self) -> bool:
        return await self._db[LOG].find_one({}, {"_id": 1}, session=self._session) is not None

    async def claim_rebuild(
        self, holder: str, now: datetime, until: datetime, *, unless_layout: int | None = None
    ) -> bool:
        free = {
            "$or": [
                {"running": {"$ne": True}},
                {"holder": holder},
                {"lease_until": None},  # a rebuild that died before leases existed
                {"lease_until": {"$lte": now}},
            ]
        }
        conditions: list[Doc] = [free]
        if unless_layout is not None:  # still needed: an older layout, or one left half done
            needed = [{"layout": None}, {"layout": {"$lt": unless_layout}}, {"running": True}]
            conditions.append({"$or": needed})
        claimed = await self._db[CONTROL].update_one(
            {"_id": REBUILD, "$and": conditions},
            {"$set": {"running": True, "holder": holder, "lease_until": until}},
            session=self._session,
        )
        return claimed.modified_count == 1

    async def hold_rebuild(self, holder: str, until: datetime) -> bool:
        held = await self._db[CONTROL].update_one(
            {"_id": REBUILD, "running": True, "holder": holder},
            {"$set": {"lease_until": until}},
            session=self._session,
        )
        return held.matched_count == 1

    async def finish_rebuild(self, holder: str, layout: int) -> bool:
        done = await self._db[CONTROL].update_one(
            {"_id": REBUILD, "running": True, "holder": holder},
            {
                "$set": {"running": False, "layout": layout},
                "$unset": {"holder": "", "lease_until": ""},
            },
            session=self._session,
        )
        return done.matched_count == 1

    async def record_layout(self, layout: int) -> None:
        await self._db[CONTROL].update_one(
            {"_id": REBUILD, "layout": None}, {"$set": {"layout": layout}}, session=self._session
        )


def control_of(doc: Mapping[str, Any]) -> Control:
    """The control record as stored (the client reads dates as aware, in UTC)."""
    return Control(
        running=bool(doc.get("running")),
        holder=str(doc.get("holder") or ""),
        lease_until=doc.get("lease_until"),
        layout=doc.get("layout"),
    )


class MongoUnitOfWork(UnitOfWork):
    """`page_bytes`: the member pages one transaction may rewrite, in bytes (more raises
    TransactionTooLarge, and the batch is taken in halves)."""

    def __init__(
        self, client: MongoClient, db: Database, page_bytes: int = PAGE_BYTES_A_TRANSACTION
    ) -> None:
        self._client = client
        self._db = db
        self._page_bytes = page_bytes

    async def transaction(self, work: Callable[[Repositories], Awaitable[T]]) -> T:
        return await run_in_transaction(
            self._client,
            lambda session: work(MongoRepositories(self._db, session, self._page_bytes)),
        )

    async def clear_read_model(self) -> None:
        for name in (BUCKETS, RUNNING, MEMBERS, ORDERS, CAMPAIGNS, LIABILITY, PAGES, COHORTS):
            await self._db[name].delete_many({})
