"""The analytics unit of work over MongoDB: the inbox claims, the event log, the rebuild
flag and the read model, all in one transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from pymongo import ASCENDING, UpdateOne

from libs.inbox import claim_events
from libs.mongo import Database, MongoClient, Session, run_in_transaction
from services.analytics.adapters.buckets import BUCKET_INDEX, BUCKETS
from services.analytics.adapters.cohort_counts import COHORTS
from services.analytics.adapters.liability import DAY_INDEX, INSTANT_INDEX, LIABILITY
from services.analytics.adapters.pages import PAGES
from services.analytics.adapters.read_model import (
    CAMPAIGNS,
    MEMBERS,
    ORDERS,
    MongoReadModel,
)
from services.analytics.adapters.running import RUNNING
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
    def __init__(self, db: Database, session: Session) -> None:
        self._db = db
        self._session = session
        self.read_model = MongoReadModel(db, session)

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

    async def enter(self) -> bool:
        doc = await self._db[CONTROL].find_one_and_update(
            {"_id": REBUILD},
            {"$inc": {"writes": 1}},
            upsert=True,
            return_document=True,
            session=self._session,
        )
        return bool(doc and doc.get("running"))

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

    async def set_rebuilding(self, running: bool) -> None:
        await self._db[CONTROL].update_one(
            {"_id": REBUILD}, {"$set": {"running": running}}, upsert=True, session=self._session
        )


class MongoUnitOfWork(UnitOfWork):
    def __init__(self, client: MongoClient, db: Database) -> None:
        self._client = client
        self._db = db

    async def transaction(self, work: Callable[[Repositories], Awaitable[T]]) -> T:
        return await run_in_transaction(
            self._client, lambda session: work(MongoRepositories(self._db, session))
        )

    async def clear_read_model(self) -> None:
        for name in (BUCKETS, RUNNING, MEMBERS, ORDERS, CAMPAIGNS, LIABILITY, PAGES, COHORTS):
            await self._db[name].delete_many({})
