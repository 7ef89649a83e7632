"""The purchase-bonus consumer's claim of each event, with the holds it confirms."""

from __future__ import annotations

from collections.abc import Sequence

from libs.inbox import claim_event, was_claimed
from libs.mongo import Database, MongoClient, Session, run_in_transaction
from services.campaign.campaigns.adapters.history import PURCHASES
from services.campaign.campaigns.adapters.lease_store import MongoLeases
from services.campaign.campaigns.adapters.members_reached import mark_reached
from services.campaign.campaigns.adapters.reservations import MongoReservations
from services.campaign.campaigns.domain.reservations import LeaseGrant


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
    ) -> bool:
        async def unit(session: Session) -> bool:
            if not await claim_event(self._db, session, consumer, event_id):
                return False
            await self.confirm_in(session, tenant_id, hold_ids, member_id, lease_grants)
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
        reached_recorded: bool = False,
    ) -> None:
        """Confirm the holds and count the lease grants, in the caller's transaction (the
        one that claims the event); with `reached_recorded`, the caller has added the
        lease grants' campaigns to the member's reached ones already."""
        for hold_id in hold_ids:
            await self._reservations.confirm(tenant_id, hold_id, session)
        reached = [
            grant.campaign_id
            for grant in lease_grants
            if await self._leases.confirm(
                grant.lease_id, grant.points, member_id, session, reached=False
            )
        ]
        if not reached_recorded:
            await mark_reached(self._db, session, tenant_id, member_id, reached)
