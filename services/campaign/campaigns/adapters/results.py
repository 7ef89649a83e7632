"""A campaign's results read from its counters (written by the grant reservations and
leases) and the members it reached (members_reached.py)."""

from __future__ import annotations

from libs.mongo import Database
from services.campaign.campaigns.adapters.members_reached import members_reached
from services.campaign.campaigns.domain.lifecycle import CampaignRecord
from services.campaign.campaigns.domain.results import CampaignResults

COUNTERS = "campaign_counters"


class MongoResults:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def results(self, record: CampaignRecord) -> CampaignResults:
        budget = record.definition.limits.budget_points
        doc = await self._db[COUNTERS].find_one({"_id": record.campaign_id}) or {}
        reached = await members_reached(self._db, record.tenant_id, record.campaign_id)
        granted, reserved = int(doc.get("granted", 0)), int(doc.get("reserved", 0))
        return CampaignResults(
            members_reached=reached,
            points_granted=granted,
            grants=int(doc.get("grants", 0)),
            points_reserved=reserved,
            budget_left=None if budget is None else max(0, budget - granted - reserved),
        )
