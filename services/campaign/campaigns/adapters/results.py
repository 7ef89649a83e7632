"""A campaign's results read from its counters (written by the grant reservations and
leases), the grants of its leases not closed yet (a lease moves them to the counter when
it closes: lease_store.py) and the members it reached (members_reached.py), all from one
snapshot."""

from __future__ import annotations

from libs.mongo import Database, Session, run_in_transaction
from services.campaign.campaigns.adapters.members_reached import members_reached
from services.campaign.campaigns.domain.lifecycle import CampaignRecord
from services.campaign.campaigns.domain.results import CampaignResults

COUNTERS = "campaign_counters"
# Also lease_store.LEASES, which imports this module.
LEASES = "campaign_leases"


class MongoResults:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def results(self, record: CampaignRecord) -> CampaignResults:
        async def read(session: Session) -> tuple[int, int, int]:
            doc = await self._db[COUNTERS].find_one({"_id": record.campaign_id}, session=session)
            doc = doc or {}
            open_leases = self._db[LEASES].find(
                {
                    "campaign_id": record.campaign_id,
                    "state": {"$in": ["open", "retired"]},
                    "counted_at_close": True,
                },
                {"size": 1, "granted": 1, "grants": 1},
                session=session,
            )
            granted, grants, reserved = (
                int(doc.get("granted", 0)),
                int(doc.get("grants", 0)),
                int(doc.get("reserved", 0)),
            )
            async for lease in open_leases:
                granted += int(lease["granted"])
                grants += int(lease["grants"])
                if lease["size"] is not None:
                    reserved -= int(lease["granted"])
            return granted, grants, reserved

        granted, grants, reserved = await run_in_transaction(self._db.client, read)
        budget = record.definition.limits.budget_points
        reached = await members_reached(self._db, record.tenant_id, record.campaign_id)
        return CampaignResults(
            members_reached=reached,
            points_granted=granted,
            grants=grants,
            points_reserved=reserved,
            budget_left=None if budget is None else max(0, budget - granted - reserved),
        )
