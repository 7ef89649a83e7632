"""Budgets and per-member limits, each change of them in one transaction with the hold it
belongs to, so that no cancellation or crash can take budget without a hold that gives it
back or grants it (docs/design.md, invariant 7).

- campaign_counters (one per campaign): `used` = reserved + granted points, never above the
  budget; `reserved`, `granted`, `grants` for the results, and the same per local day of
  the orders granted (`daily.<YYYY-MM-DD>`: `granted`, `grants`), in the same update
  (results.py).
- campaign_member_grants (one per campaign and member, only where the campaign limits
  rewards per member): `count`, the rewards held or granted, never above the limit.
- member_facts: a committed hold adds its campaign to the member's `reached`, and its day
  to `reached_on` if earlier, for the results' members reached (members_reached.py).
- campaign_reservations (one per order and campaign, so a retried order reserves once):
  reserved, then committed (granted) or released; `day` is the order's local date;
  `pinned`: a hold for a bonus paid after its order, which the sweep never releases.

A hold is taken on the till's path under the points service's deadline: the transaction is
shielded from the caller's cancellation, so a hold the caller stopped waiting for is still
taken whole (its order's event grants it later) and never taken in part.

A pending bonus is paid after its order (handlers/purchase_bonus.py): its hold is taken,
the points paid through the points service, and the hold committed in the transaction
that claims the order's event, which may come long after (the consumer pays a whole batch
first, slowly under load). Were the sweep to release the hold in between, its budget and
the member's slot would be held again by other orders, and the commit would take them
back past the budget and the limit: such holds are pinned as they are taken (or found
again) for paying, and only that commit, or the release of a failed grant, ends them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TypeVar

from pymongo import ASCENDING

from libs.mongo import Database, Doc, Session, run_in_transaction
from libs.tasks import finish_whole
from services.campaign.campaigns.adapters.members_reached import (
    MEMBER_GRANTS,
    ensure_reached_indexes,
    mark_reached,
)
from services.campaign.campaigns.adapters.results import COUNTERS, day_counts
from services.campaign.campaigns.domain.reservations import Hold, hold_id
from services.campaign.campaigns.domain.rules import Campaign

RESERVATIONS = "campaign_reservations"
RESERVED, COMMITTED, RELEASED = "reserved", "committed", "released"
T = TypeVar("T")


async def ensure_reservation_indexes(db: Database) -> None:
    await db[RESERVATIONS].create_index([("state", ASCENDING), ("expires_at", ASCENDING)])
    await db[RESERVATIONS].create_index([("tenant_id", ASCENDING), ("order_id", ASCENDING)])
    await ensure_reached_indexes(db)


def _slot_id(campaign_id: str, member_id: str) -> str:
    return f"{campaign_id}:{member_id}"


class MongoReservations:
    def __init__(
        self, db: Database, ttl: timedelta = timedelta(minutes=15), *, pinned: bool = False
    ) -> None:
        self._db = db
        self._ttl = ttl
        self._pinned = pinned

    def paying_after_order(self) -> MongoReservations:
        """The same holds, for paying a bonus after its order: each hold this reserves, or
        finds held already (the till's), is pinned, so the sweep never releases it while
        its points are being paid."""
        return MongoReservations(self._db, self._ttl, pinned=True)

    async def _in_transaction(self, work: Callable[[Session], Awaitable[T]]) -> T:
        return await run_in_transaction(self._db.client, work)

    async def reserve(
        self,
        tenant_id: str,
        order_id: str,
        member_id: str,
        campaign: Campaign,
        *,
        points: int,
        now: datetime,
        day: str = "",
    ) -> Hold:
        held = hold_id(tenant_id, order_id, campaign.campaign_id)

        async def work(session: Session) -> Hold:
            existing = await self._db[RESERVATIONS].find_one({"_id": held}, session=session)
            if existing is not None and existing["state"] != RELEASED:
                if self._pinned and existing["state"] == RESERVED:
                    await self._db[RESERVATIONS].update_one(
                        {"_id": held}, {"$set": {"pinned": True}}, session=session
                    )
                committed = existing["state"] == COMMITTED
                return Hold(held, int(existing["points"]), "", replayed=True, committed=committed)
            # New, or released and asked for again (its event redelivered after a failed
            # grant): the hold takes the budget and the member's slot anew.
            taken = await self._take(campaign, member_id, points, session)
            if isinstance(taken, str):
                return Hold(held, 0, taken)
            doc: Doc = {
                "_id": held,
                "tenant_id": tenant_id,
                "order_id": order_id,
                "member_id": member_id,
                "campaign_id": campaign.campaign_id,
                "campaign_version": campaign.version,
                "limited": campaign.limits.per_member is not None,
                "pinned": self._pinned,
                "points": taken,
                "state": RESERVED,
                "created_at": now,
                "expires_at": now + self._ttl,
                "day": day or now.date().isoformat(),
            }
            await self._db[RESERVATIONS].replace_one(
                {"_id": held}, doc, upsert=True, session=session
            )
            return Hold(held, taken, "")

        return await finish_whole(self._in_transaction(work), name="campaign_hold")

    async def _take(
        self, campaign: Campaign, member_id: str, points: int, session: Session
    ) -> int | str:
        """The points taken from the budget (with a member's slot where the campaign limits
        rewards per member), or why nothing was."""
        limit = campaign.limits.per_member
        if limit is not None:
            slot_id = _slot_id(campaign.campaign_id, member_id)
            slot = await self._db[MEMBER_GRANTS].find_one({"_id": slot_id}, session=session)
            if slot is not None and int(slot.get("count", 0)) >= limit:
                return "member_limit_reached"
        taken = await self._take_budget(campaign, points, session) if points else 0
        if points and taken <= 0:
            return "budget_exhausted"
        if limit is not None:
            await self._move_slot(campaign.campaign_id, member_id, 1, session)
        return taken

    async def _take_budget(self, campaign: Campaign, points: int, session: Session) -> int:
        """Up to `points`, the last grant taking what is left so the budget is used exactly."""
        budget, key = campaign.limits.budget_points, {"_id": campaign.campaign_id}
        take = points
        if budget is not None:
            counter = await self._db[COUNTERS].find_one(key, session=session) or {}
            take = min(points, budget - int(counter.get("used", 0)))
            if take <= 0:
                return 0
        inc = {"$inc": {"used": take, "reserved": take}}
        await self._db[COUNTERS].update_one(key, inc, upsert=True, session=session)
        return take

    async def _move_slot(self, campaign_id: str, member_id: str, by: int, session: Session) -> None:
        await self._db[MEMBER_GRANTS].update_one(
            {"_id": _slot_id(campaign_id, member_id)},
            {
                "$inc": {"count": by},
                "$setOnInsert": {"campaign_id": campaign_id, "member_id": member_id},
            },
            upsert=True,
            session=session,
        )

    async def settle(self, tenant_id: str, hold_id: str, commit: bool) -> bool:
        """Only a held reservation moves, once: settling again (or racing the sweep) is a no-op."""
        if commit:
            return await self._in_transaction(
                lambda session: self._commit(tenant_id, hold_id, RESERVED, session)
            )
        return await self._in_transaction(
            lambda session: self._release(tenant_id, hold_id, session)
        )

    async def _release(
        self, tenant_id: str, hold_id: str, session: Session, *, unpinned: bool = False
    ) -> bool:
        """Give a held reservation's budget and slot back; with `unpinned`, not if it is
        pinned (the sweep)."""
        which: Doc = {"_id": hold_id, "tenant_id": tenant_id, "state": RESERVED}
        if unpinned:
            which["pinned"] = {"$ne": True}
        held = await self._db[RESERVATIONS].find_one_and_update(
            which,
            {"$set": {"state": RELEASED}},
            session=session,
        )
        if held is None:
            return False
        points = int(held["points"])
        await self._db[COUNTERS].update_one(
            {"_id": held["campaign_id"]},
            {"$inc": {"used": -points, "reserved": -points}},
            session=session,
        )
        if held.get("limited", True):  # holds from before the flag held a slot
            await self._move_slot(held["campaign_id"], held["member_id"], -1, session)
        return True

    async def confirm(self, tenant_id: str, hold_id: str, session: Session | None = None) -> bool:
        """Count the hold as granted, because the order that names it was credited: commit
        it if held; take it again if the sweep released it already (the order's service
        crashed, or its answer was lost, before it settled), past the budget and the
        member's limit if need be, since the points were paid. False when it was
        committed already, or is unknown. With `session`, in the caller's transaction."""

        async def work(session: Session) -> bool:
            for state in (RESERVED, RELEASED):
                if await self._commit(tenant_id, hold_id, state, session):
                    return True
            return False

        if session is not None:
            return await work(session)
        return await self._in_transaction(work)

    async def _commit(self, tenant_id: str, hold_id: str, state: str, session: Session) -> bool:
        held = await self._db[RESERVATIONS].find_one_and_update(
            {"_id": hold_id, "tenant_id": tenant_id, "state": state},
            {"$set": {"state": COMMITTED}},
            session=session,
        )
        if held is None:
            return False
        campaign_id, member_id, points = held["campaign_id"], held["member_id"], held["points"]
        # A released hold gave its budget and the member's slot back: the grant retakes them.
        retaken = state == RELEASED
        counter = {"granted": points, "grants": 1}
        counter.update({"used": points} if retaken else {"reserved": -points})
        day = held.get("day") or held["created_at"].date().isoformat()
        counter.update(day_counts(day, points))
        await self._db[COUNTERS].update_one(
            {"_id": campaign_id}, {"$inc": counter}, upsert=True, session=session
        )
        if retaken and held.get("limited", True):
            await self._move_slot(campaign_id, member_id, 1, session)
        await mark_reached(self._db, session, held["tenant_id"], member_id, [campaign_id], day=day)
        return True

    async def holds_of_order(self, tenant_id: str, order_id: str) -> list[str]:
        """The order's holds still reserved, whatever their campaign."""
        cursor = self._db[RESERVATIONS].find(
            {"tenant_id": tenant_id, "order_id": order_id, "state": RESERVED}, {"_id": 1}
        )
        return [doc["_id"] async for doc in cursor]

    async def sweep(self, now: datetime, limit: int = 500) -> int:
        """Release the reservations whose order never settled them (it crashed, or its
        answer was lost), so their budget is not held forever; never a pinned one (its
        points are being paid after the order: its event's claim commits it)."""
        stale = self._db[RESERVATIONS].find(
            {"state": RESERVED, "expires_at": {"$lt": now}, "pinned": {"$ne": True}},
            limit=limit,
        )
        released = 0
        async for doc in stale:
            released += await self._expire(doc["tenant_id"], doc["_id"])
        return released

    async def _expire(self, tenant_id: str, hold_id: str) -> bool:
        return await self._in_transaction(
            lambda session: self._release(tenant_id, hold_id, session, unpinned=True)
        )
