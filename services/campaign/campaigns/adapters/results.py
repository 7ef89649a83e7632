"""A campaign's results read from its counters (written by the grant reservations)."""

from __future__ import annotations

from libs.mongo import Database
from services.campaign.campaigns.domain.lifecycle import CampaignRecord
from services.campaign.campaigns.domain.results import CampaignResults

COUNTERS = "campaign_counters"
MEMBER_GRANTS = "campaign_member_grants"


class MongoResults:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def results(self, record: CampaignRecord) -> CampaignResults:
        budget = record.definition.limits.budget_points
        doc = await self._db[COUNTERS].find_one({"_id": record.campaign_id}) or {}
        reached = await self._db[MEMBER_GRANTS].count_documents(
            {"campaign_id": record.campaign_id, "granted": {"$gt": 0}}
        )
        granted, reserved = int(doc.get("granted", 0)), int(doc.get("reserved", 0))
        return CampaignResults(
            members_reached=reached,
            points_granted=granted,
            grants=int(doc.get("grants", 0)),
            points_reserved=reserved,
            budget_left=None if budget is None else max(0, budget - granted - reserved),
        )
