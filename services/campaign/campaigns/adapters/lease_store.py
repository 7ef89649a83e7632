"""Budget leases in MongoDB: each change of a lease in one transaction with the campaign's
counter, so `granted + reserved + left == budget` holds at every commit (the argument is
in `domain/leases.py` and docs/campaigns.md, "Budget leases").

- campaign_leases (one per lease): tenant, campaign, owner, size (null: no budget),
  spend_until, close_at, state (open, retired, closed), granted and grants (from the
  orders' `points.earned`), returned (given back to the budget).
- campaign_counters: a lease counts its size as used and reserved when taken; what comes
  back leaves used and reserved; what it granted moves from reserved to granted when it
  closes, in one write, not one per grant (`counted_at_close`; the results add what the
  leases still open have granted). A grant counted after the close goes to the counter
  at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pymongo import ASCENDING, ReturnDocument

from libs.ids import new_id
from libs.logging import get_logger
from libs.mongo import Database, Doc, Session, run_in_transaction
from services.campaign.campaigns.adapters import results
from services.campaign.campaigns.adapters.members_reached import mark_reached
from services.campaign.campaigns.adapters.results import COUNTERS
from services.campaign.campaigns.domain.leases import (
    LEASE_PREFIX,
    Lease,
    closing_return,
    granted_size,
)

LEASES = results.LEASES
OPEN, RETIRED, CLOSED = "open", "retired", "closed"
# Set on leases whose grants reach the counter when they close (leases taken by earlier
# versions moved each grant to the counter as it was counted).
COUNTED_AT_CLOSE = "counted_at_close"

log = get_logger(__name__)


async def ensure_lease_indexes(db: Database) -> None:
    await db[LEASES].create_index([("state", ASCENDING), ("close_at", ASCENDING)])
    await db[LEASES].create_index([("campaign_id", ASCENDING), ("state", ASCENDING)])


class MongoLeases:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def take(
        self,
        tenant_id: str,
        campaign_id: str,
        budget: int | None,
        wanted: int,
        *,
        owner: str,
        now: datetime,
        window: timedelta,
        grace: timedelta,
    ) -> Lease | None:
        """A new lease of up to `wanted` points; None when the budget is used up."""
        lease_id = new_id(LEASE_PREFIX)

        async def work(session: Session) -> Lease | None:
            key = {"_id": campaign_id}
            size: int | None = None
            if budget is not None:
                counter = await self._db[COUNTERS].find_one(key, session=session) or {}
                size = granted_size(wanted, budget, int(counter.get("used", 0)))
                if not size:
                    return None
                inc = {"$inc": {"used": size, "reserved": size}}
                await self._db[COUNTERS].update_one(key, inc, upsert=True, session=session)
            doc: Doc = {
                "_id": lease_id,
                "tenant_id": tenant_id,
                "campaign_id": campaign_id,
                "owner": owner,
                "size": size,
                "spend_until": now + window,
                "close_at": now + window + grace,
                "state": OPEN,
                "granted": 0,
                "grants": 0,
                "returned": 0,
                COUNTED_AT_CLOSE: True,
            }
            await self._db[LEASES].insert_one(doc, session=session)
            return Lease(lease_id, campaign_id, size, now + window)

        return await run_in_transaction(self._db.client, work)

    async def extend(self, lease_id: str, spend_until: datetime, grace: timedelta) -> bool:
        """Spend from an open lease longer (its close moves with it): one write instead of
        a lease retired and another taken. False when it is no longer open."""
        done = await self._db[LEASES].update_one(
            {"_id": lease_id, "state": OPEN},
            {"$set": {"spend_until": spend_until, "close_at": spend_until + grace}},
        )
        return done.modified_count == 1

    async def give_back(self, lease_id: str, points: int, *, retire: bool) -> bool:
        """Return `points` never to be granted to the budget (and with `retire`, mark the
        lease as no longer spent from). Nothing once the lease is closed: closing returned
        everything not granted already."""

        async def work(session: Session) -> bool:
            changes: Doc = {"$inc": {"returned": points}}
            if retire:
                changes["$set"] = {"state": RETIRED}
            lease = await self._db[LEASES].find_one_and_update(
                {"_id": lease_id, "state": {"$in": [OPEN, RETIRED]}}, changes, session=session
            )
            if lease is None:
                return False
            await self._back_to_budget(lease["campaign_id"], points, session)
            return True

        if points == 0 and not retire:
            return False
        return await run_in_transaction(self._db.client, work)

    async def _count(self, campaign_id: str, moves: Doc, session: Session) -> None:
        await self._db[COUNTERS].update_one(
            {"_id": campaign_id}, {"$inc": moves}, upsert=True, session=session
        )

    async def _back_to_budget(self, campaign_id: str, points: int, session: Session) -> None:
        if points:
            await self._db[COUNTERS].update_one(
                {"_id": campaign_id},
                {"$inc": {"used": -points, "reserved": -points}},
                session=session,
            )

    async def confirm(
        self,
        lease_id: str,
        points: int,
        member_id: str,
        session: Session,
        *,
        reached: bool = True,
    ) -> bool:
        """Count `points` of the lease as granted to `member_id` (their order was credited
        with them), in the caller's transaction (the event's claim). A lease closed already
        takes the points from the budget again: they were paid. False for an unknown lease.
        With `reached` false the caller adds the campaign to the member's reached ones
        (one write for all of an order's campaigns)."""
        lease = await self._db[LEASES].find_one_and_update(
            {"_id": lease_id},
            {"$inc": {"granted": points, "grants": 1}},
            session=session,
            return_document=ReturnDocument.BEFORE,
        )
        if lease is None:
            return False
        campaign_id = lease["campaign_id"]
        if lease["state"] == CLOSED:
            log.warning("lease_grant_after_close", lease_id=lease_id, points=points)
            counter = {"granted": points, "grants": 1, "used": points}
            if lease["size"] is not None:
                await self._db[LEASES].update_one(
                    {"_id": lease_id}, {"$inc": {"returned": -points}}, session=session
                )
            await self._count(campaign_id, counter, session)
        elif not lease.get(COUNTED_AT_CLOSE):
            await self._count(
                campaign_id, {"granted": points, "grants": 1, "reserved": -points}, session
            )
        if reached:
            await mark_reached(self._db, session, lease["tenant_id"], member_id, [campaign_id])
        return True

    async def close_due(self, now: datetime, limit: int = 200) -> int:
        """Close the leases whose grace has passed, whoever owned them (a process killed
        with -9 included): everything not proven granted goes back to the budget."""
        due = self._db[LEASES].find(
            {"state": {"$in": [OPEN, RETIRED]}, "close_at": {"$lt": now}}, {"_id": 1}, limit=limit
        )
        closed = 0
        async for doc in due:
            closed += await self.close(doc["_id"])
        return closed

    async def close(self, lease_id: str) -> bool:
        async def work(session: Session) -> bool:
            lease = await self._db[LEASES].find_one_and_update(
                {"_id": lease_id, "state": {"$in": [OPEN, RETIRED]}},
                {"$set": {"state": CLOSED}},
                session=session,
                return_document=ReturnDocument.AFTER,
            )
            if lease is None:
                return False
            size, granted = lease["size"], int(lease["granted"])
            back = closing_return(size, granted, int(lease["returned"]))
            if back:
                await self._db[LEASES].update_one(
                    {"_id": lease_id}, {"$inc": {"returned": back}}, session=session
                )
                await self._back_to_budget(lease["campaign_id"], back, session)
            if lease.get(COUNTED_AT_CLOSE) and lease["grants"]:
                moves: Doc = {"granted": granted, "grants": int(lease["grants"])}
                if size is not None:
                    moves["reserved"] = -granted
                await self._count(lease["campaign_id"], moves, session)
            return True

        return await run_in_transaction(self._db.client, work)
