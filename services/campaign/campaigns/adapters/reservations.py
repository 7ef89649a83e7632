"""Budgets and per-member limits held atomically, without a transaction: each counter moves
only through a conditional update, so concurrent orders can never take more than is left.

- campaign_counters (one per campaign): `used` = reserved + granted points, never above the
  budget; `reserved`, `granted`, `grants` for the results.
- campaign_member_grants (one per campaign and member): `count` of held or granted rewards,
  never above the per-member limit; `granted` once committed.
- campaign_reservations (one per order and campaign, so a retried order reserves once)."""

from __future__ import annotations

from datetime import datetime, timedelta

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from libs.mongo import Database, Doc, Session
from services.campaign.campaigns.adapters.results import COUNTERS, MEMBER_GRANTS
from services.campaign.campaigns.domain.reservations import Hold
from services.campaign.campaigns.domain.rules import Campaign

RESERVATIONS = "campaign_reservations"
CAS_ATTEMPTS = 50


async def ensure_reservation_indexes(db: Database) -> None:
    await db[RESERVATIONS].create_index([("state", ASCENDING), ("expires_at", ASCENDING)])
    await db[MEMBER_GRANTS].create_index([("campaign_id", ASCENDING), ("granted", ASCENDING)])


class MongoReservations:
    def __init__(self, db: Database, ttl: timedelta = timedelta(minutes=15)) -> None:
        self._db = db
        self._ttl = ttl

    async def _take_member_slot(self, campaign: Campaign, member_id: str) -> bool:
        limit = campaign.limits.per_member
        key = {"_id": f"{campaign.campaign_id}:{member_id}"}
        init = {"campaign_id": campaign.campaign_id, "member_id": member_id, "granted": 0}
        guard = {} if limit is None else {"count": {"$lt": limit}}
        try:
            await self._db[MEMBER_GRANTS].update_one(
                {**key, **guard}, {"$inc": {"count": 1}, "$setOnInsert": init}, upsert=True
            )
        except DuplicateKeyError:
            return False  # the member's document exists and is at its limit
        return True

    async def _take_budget(self, campaign: Campaign, points: int) -> int:
        """Up to `points`, the last grant taking what is left so the budget is used exactly."""
        budget, key = campaign.limits.budget_points, {"_id": campaign.campaign_id}
        if budget is None:
            await self._db[COUNTERS].update_one(
                key, {"$inc": {"used": points, "reserved": points}}, upsert=True
            )
            return points
        try:
            fits = {**key, "used": {"$lte": budget - points}}
            inc = {"$inc": {"used": points, "reserved": points}}
            moved = await self._db[COUNTERS].update_one(fits, inc, upsert=True)
            if moved.matched_count or moved.upserted_id is not None:
                return points
        except DuplicateKeyError:
            pass  # exists, and the whole grant no longer fits
        return await self._take_rest(campaign.campaign_id, budget, points)

    async def _take_rest(self, campaign_id: str, budget: int, points: int) -> int:
        for _ in range(CAS_ATTEMPTS):
            doc = await self._db[COUNTERS].find_one({"_id": campaign_id}) or {}
            used = int(doc.get("used", 0))
            take = min(points, budget - used)
            if take <= 0:
                return 0
            guard = {"_id": campaign_id, "used": used}
            moved = await self._db[COUNTERS].update_one(
                guard, {"$inc": {"used": take, "reserved": take}}
            )
            if moved.matched_count:
                return take
        return 0

    async def reserve(
        self,
        tenant_id: str,
        order_id: str,
        member_id: str,
        campaign: Campaign,
        *,
        points: int,
        now: datetime,
    ) -> Hold:
        hold_id = f"{tenant_id}:{order_id}:{campaign.campaign_id}"
        existing = await self._db[RESERVATIONS].find_one({"_id": hold_id})
        if existing is not None and existing["state"] == "released":
            return await self._retake(hold_id, member_id, campaign, points, now)
        if existing is not None:
            committed = existing["state"] == "committed"
            return Hold(hold_id, int(existing["points"]), "", replayed=True, committed=committed)
        taken_or_refusal = await self._take(campaign, member_id, points)
        if isinstance(taken_or_refusal, str):
            return Hold(hold_id, 0, taken_or_refusal)
        taken = taken_or_refusal
        doc: Doc = {
            "_id": hold_id,
            "tenant_id": tenant_id,
            "order_id": order_id,
            "member_id": member_id,
            "campaign_id": campaign.campaign_id,
            "campaign_version": campaign.version,
            "points": taken,
            "state": "reserved",
            "created_at": now,
            "expires_at": now + self._ttl,
        }
        try:
            await self._db[RESERVATIONS].insert_one(doc)
        except DuplicateKeyError:  # the same order reserved concurrently: keep its hold only
            await self._undo(campaign.campaign_id, member_id, taken)
            winner = await self._db[RESERVATIONS].find_one({"_id": hold_id}) or {}
            return Hold(hold_id, int(winner.get("points", 0)), "", replayed=True)
        return Hold(hold_id, taken, "")

    async def _take(self, campaign: Campaign, member_id: str, points: int) -> int | str:
        """The points taken from the budget with a member slot, or why nothing was."""
        if not await self._take_member_slot(campaign, member_id):
            return "member_limit_reached"
        taken = await self._take_budget(campaign, points) if points else 0
        if points and taken <= 0:
            await self._give_member_slot(campaign.campaign_id, member_id)
            return "budget_exhausted"
        return taken

    async def _retake(
        self, hold_id: str, member_id: str, campaign: Campaign, points: int, now: datetime
    ) -> Hold:
        """A released hold asked for again (its event redelivered after a failed grant)
        holds the budget and the member's slot anew, so the grant is counted when paid."""
        taken = await self._take(campaign, member_id, points)
        if isinstance(taken, str):
            return Hold(hold_id, 0, taken)
        held = await self._db[RESERVATIONS].find_one_and_update(
            {"_id": hold_id, "state": "released"},
            {"$set": {"state": "reserved", "points": taken, "expires_at": now + self._ttl}},
        )
        if held is None:  # retaken concurrently: keep that hold only
            await self._undo(campaign.campaign_id, member_id, taken)
            winner = await self._db[RESERVATIONS].find_one({"_id": hold_id}) or {}
            return Hold(hold_id, int(winner.get("points", 0)), "", replayed=True)
        return Hold(hold_id, taken, "")

    async def _give_member_slot(self, campaign_id: str, member_id: str) -> None:
        await self._db[MEMBER_GRANTS].update_one(
            {"_id": f"{campaign_id}:{member_id}", "count": {"$gt": 0}}, {"$inc": {"count": -1}}
        )

    async def _undo(self, campaign_id: str, member_id: str, points: int) -> None:
        await self._db[COUNTERS].update_one(
            {"_id": campaign_id}, {"$inc": {"used": -points, "reserved": -points}}
        )
        await self._give_member_slot(campaign_id, member_id)

    async def settle(self, tenant_id: str, hold_id: str, commit: bool) -> bool:
        """Only a held reservation moves, once: settling again (or racing the sweep) is a no-op."""
        if commit:
            return await self._commit(tenant_id, hold_id, "reserved", None)
        held = await self._db[RESERVATIONS].find_one_and_update(
            {"_id": hold_id, "tenant_id": tenant_id, "state": "reserved"},
            {"$set": {"state": "released"}},
        )
        if held is None:
            return False
        await self._undo(held["campaign_id"], held["member_id"], held["points"])
        return True

    async def confirm(self, tenant_id: str, hold_id: str, session: Session | None = None) -> bool:
        """Count the hold as granted, because the order that names it was credited: commit
        it if held; take it again if the sweep released it already (the order's service
        crashed, or its answer was lost, before it settled), past the budget and the
        member's limit if need be, since the points were paid. False when it was
        committed already, or is unknown. With `session`, in the caller's transaction."""
        for state in ("reserved", "released"):
            if await self._commit(tenant_id, hold_id, state, session):
                return True
        return False

    async def _commit(
        self, tenant_id: str, hold_id: str, state: str, session: Session | None
    ) -> bool:
        held = await self._db[RESERVATIONS].find_one_and_update(
            {"_id": hold_id, "tenant_id": tenant_id, "state": state},
            {"$set": {"state": "committed"}},
            session=session,
        )
        if held is None:
            return False
        campaign_id, member_id, points = held["campaign_id"], held["member_id"], held["points"]
        # A released hold gave its budget and the member's slot back: the grant retakes them.
        retaken = state == "released"
        counter = {"granted": points, "grants": 1}
        counter.update({"used": points} if retaken else {"reserved": -points})
        await self._db[COUNTERS].update_one(
            {"_id": campaign_id}, {"$inc": counter}, upsert=True, session=session
        )
        member = {"granted": 1, "count": 1} if retaken else {"granted": 1}
        await self._db[MEMBER_GRANTS].update_one(
            {"_id": f"{campaign_id}:{member_id}"},
            {"$inc": member, "$setOnInsert": {"campaign_id": campaign_id, "member_id": member_id}},
            upsert=True,
            session=session,
        )
        return True

    async def sweep(self, now: datetime, limit: int = 500) -> int:
        """Release the reservations whose order never settled them (it crashed, or its
        answer was lost), so their budget is not held forever."""
        stale = self._db[RESERVATIONS].find(
            {"state": "reserved", "expires_at": {"$lt": now}}, limit=limit
        )
        released = 0
        async for doc in stale:
            released += await self.settle(doc["tenant_id"], doc["_id"], commit=False)
        return released
