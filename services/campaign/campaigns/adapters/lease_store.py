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
  at once. Each day's share goes with it: the lease counts its grants per local day of
  their orders (`days.<YYYY-MM-DD>`, in the grant's own `$inc` of the lease) and its
  close adds them to the counter's `daily.<YYYY-MM-DD>` in the same single write.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from pymongo import ASCENDING, ReturnDocument

from libs.ids import new_id
from libs.logging import get_logger
from libs.mongo import Database, Doc, Session, run_in_transaction
from services.campaign.campaigns.adapters import results
from services.campaign.campaigns.adapters.members_reached import mark_reached
from services.campaign.campaigns.adapters.results import (
    COUNTERS,
    DAILY,
    LEASE_DAYS,
    day_counts,
    days_of,
)
from services.campaign.campaigns.domain.lease_counts import (
    Confirmed,
    LeaseCount,
    LeaseTotal,
    summed,
)
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


def _day_counts(total: LeaseTotal, prefix: str) -> Doc:
    """The `$inc` of a lease's total per day (`day_counts` of each)."""
    counts: Doc = {}
    for day, (points, grants) in total.by_day.items():
        for key, value in day_counts(day, points, grants, prefix=prefix).items():
            counts[key] = counts.get(key, 0) + value
    return counts


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
        day: str = "",
    ) -> bool:
        """Count `points` of the lease as granted to `member_id` (their order was credited
        with them) on `day` (the order's local date), in the caller's transaction (the
        event's claim). A lease closed already takes the points from the budget again: they
        were paid. False for an unknown lease. With `reached` false the caller adds the
        campaign to the member's reached ones (one write for all of an order's campaigns)."""
        counted = await self.confirm_many([LeaseCount(lease_id, points, day)], session)
        campaign_id = counted.campaigns.get(lease_id)
        if campaign_id is None:
            return False
        if reached:
            tenant_id = counted.tenants[lease_id]
            await mark_reached(self._db, session, tenant_id, member_id, [campaign_id], day=day)
        return True

    async def confirm_many(self, grants: Sequence[LeaseCount], session: Session) -> Confirmed:
        """Count many grants in the caller's transaction with one write per lease, however
        many orders of the batch it paid: the same counts as one `confirm` per grant.
        Answers the campaign of each lease found."""
        confirmed = Confirmed()
        for lease_id, total in summed(grants).items():
            lease = await self._db[LEASES].find_one_and_update(
                {"_id": lease_id},
                {
                    "$inc": {
                        "granted": total.points,
                        "grants": total.grants,
                        **_day_counts(total, LEASE_DAYS),
                    }
                },
                session=session,
                return_document=ReturnDocument.BEFORE,
            )
            if lease is None:
                continue
            campaign_id = lease["campaign_id"]
            confirmed.campaigns[lease_id] = campaign_id
            confirmed.tenants[lease_id] = lease["tenant_id"]
            if lease["state"] == CLOSED:
                log.warning("lease_grant_after_close", lease_id=lease_id, points=total.points)
                counter = {
                    "granted": total.points,
                    "grants": total.grants,
                    "used": total.points,
                    **_day_counts(total, DAILY),
                }
                if lease["size"] is not None:
                    await self._db[LEASES].update_one(
                        {"_id": lease_id}, {"$inc": {"returned": -total.points}}, session=session
                    )
                await self._count(campaign_id, counter, session)
            elif not lease.get(COUNTED_AT_CLOSE):
                moves = {
                    "granted": total.points,
                    "grants": total.grants,
                    "reserved": -total.points,
                    **_day_counts(total, DAILY),
                }
                await self._count(campaign_id, moves, session)
        return confirmed

    async def due(self, now: datetime, limit: int = 200) -> list[str]:
        """The leases whose grace has passed, whoever owned them (a process killed with -9
        included), to `close`."""
        found = self._db[LEASES].find(
            {"state": {"$in": [OPEN, RETIRED]}, "close_at": {"$lt": now}}, {"_id": 1}, limit=limit
        )
        return [doc["_id"] async for doc in found]

    async def close(self, lease_id: str) -> bool:
        """Everything not proven granted goes back to the budget."""

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
                for day, (points, grants) in days_of(lease, LEASE_DAYS).items():
                    moves.update(day_counts(day, points, grants, prefix=DAILY))
                await self._count(lease["campaign_id"], moves, session)
            return True

        return await run_in_transaction(self._db.client, work)
