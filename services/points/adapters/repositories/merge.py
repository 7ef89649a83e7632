"""Following a merge over MongoDB: the wallets and ledger, and the member's records."""

from __future__ import annotations

from pymongo import ASCENDING

from libs.mongo import Database, Session
from libs.unit_of_work import EventRepositories
from services.points.adapters.repositories import (
    ENTRIES,
    ORDERS,
    REDEMPTIONS,
    RETURNS,
    WALLETS,
    MongoEntryRepository,
    MongoWalletRepository,
)
from services.points.domain.merge import MovedRecords, PointsMerged


async def ensure_merge_indexes(db: Database) -> None:
    """Orders are already indexed by member; redemptions and returns are found by it here."""
    for name in (REDEMPTIONS, RETURNS):
        await db[name].create_index([("tenant_id", ASCENDING), ("member_id", ASCENDING)])


class MongoMemberRecords:
    def __init__(self, db: Database, session: Session | None) -> None:
        self._db = db
        self._session = session

    async def reassign(self, tenant_id: str, from_member: str, to_member: str) -> MovedRecords:
        mine = {"tenant_id": tenant_id, "member_id": from_member}
        survivor = {"$set": {"member_id": to_member}}
        # Orders and redemptions are written under a version check: bump it, so that a
        # command that read one before the merge cannot write it back afterwards.
        versioned = {**survivor, "$inc": {"version": 1}}
        orders = await self._db[ORDERS].update_many(mine, versioned, session=self._session)
        held = await self._db[REDEMPTIONS].update_many(mine, versioned, session=self._session)
        returns = await self._db[RETURNS].update_many(mine, survivor, session=self._session)
        return MovedRecords(orders.modified_count, held.modified_count, returns.modified_count)


class MongoMergeRepositories(EventRepositories[PointsMerged]):
    def __init__(self, db: Database, session: Session | None) -> None:
        super().__init__(db, session)
        self.wallets = MongoWalletRepository(db, session, WALLETS)
        self.entries = MongoEntryRepository(db, session, ENTRIES)
        self.records = MongoMemberRecords(db, session)
