"""The purchase-bonus consumer's claim of each event, with the holds it confirms."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from libs.inbox import claim_event, was_claimed
from libs.mongo import Database, MongoClient, Session, run_in_transaction
from services.campaign.campaigns.adapters.history import PURCHASES
from services.campaign.campaigns.adapters.lease_store import MongoLeases
from services.campaign.campaigns.adapters.members_reached import mark_reached
from services.campaign.campaigns.adapters.reservations import MongoReservations
from services.campaign.campaigns.domain.lease_counts import LeaseCount
from services.campaign.campaigns.domain.reservations import LeaseGrant


@dataclass(frozen=True)
class SettledOrder:
    """What one order's event confirms: its holds and its lease grants, on its local day."""

    tenant_id: str
    hold_ids: Sequence[str]
    lease_grants: Sequence[LeaseGrant]
    day: str


class MongoSettledPurchases:
    def __init__(
        self,
        client: MongoClient,
        db: Database,
        reservations: MongoReservations,
        leases: MongoLeases | None = None,
    ) -> None:
        self._client = client
        self._db = db
        self._reservations = reservations
        self._leases = leases or MongoLeases(db)

    async def seen(
        self, consumer: str, event_id: str, *, tenant_id: str = "", order_id: str = ""
    ) -> bool:
        """An inbox row, or the order's purchase document (a `points.earned`'s record)."""
        if order_id:
            key = {"_id": f"{tenant_id}:{order_id}"}
            if await self._db[PURCHASES].find_one(key, {"_id": 1}) is not None:
                return True
        return await was_claimed(self._db, consumer, event_id)

    async def confirm(
        self,
        consumer: str,
        event_id: str,
        tenant_id: str,
        hold_ids: Sequence[str],
        *,
        member_id: str = "",
        lease_grants: Sequence[LeaseGrant] = (),
        day: str = "",
    ) -> bool:
        async def unit(session: Session) -> bool:
            if not await claim_event(self._db, session, consumer, event_id):
                return False
            await self.confirm_in(session, tenant_id, hold_ids, member_id, lease_grants, day=day)
            return True

        return await run_in_transaction(self._client, unit)

    async def confirm_in(
        self,
        session: Session,
        tenant_id: str,
        hold_ids: Sequence[str],
        member_id: str,
        lease_grants: Sequence[LeaseGrant],
        *,
        day: str,
        reached_recorded: bool = False,
    ) -> None:
        """Confirm the holds and count the lease grants on `day` (the order's local date;
        a hold counts on the day it was taken for), in the caller's transaction (the one
        that claims the event); with `reached_recorded`, the caller has added the lease
        grants' campaigns to the member's reached ones already."""
        for hold_id in hold_ids:
            await self._reservations.confirm(tenant_id, hold_id, session)
        counts = [LeaseCount(grant.lease_id, grant.points, day) for grant in lease_grants]
        confirmed = await self._leases.confirm_many(counts, session)
        if not reached_recorded:
            reached = [g.campaign_id for g in lease_grants if g.lease_id in confirmed.campaigns]
            await mark_reached(self._db, session, tenant_id, member_id, reached, day=day)

    async def confirm_batch(self, session: Session, orders: Sequence[SettledOrder]) -> None:
        """`confirm_in` of many orders whose purchase records added their lease campaigns
        to the members' reached ones: each order's holds, then every lease grant of the
        batch with one write per lease."""
        counts: list[LeaseCount] = []
        for order in orders:
            for hold_id in order.hold_ids:
                await self._reservations.confirm(order.tenant_id, hold_id, session)
            counts += [LeaseCount(g.lease_id, g.points, order.day) for g in order.lease_grants]
        await self._leases.confirm_many(counts, session)
