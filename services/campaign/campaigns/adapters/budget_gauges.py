"""The budget of every active campaign as gauges, read when the metrics port is scraped:
points granted, reserved by open leases, and left (`granted + reserved + left == budget`)."""

from __future__ import annotations

from libs.metrics.process import METRICS
from libs.mongo import Database
from services.campaign.campaigns.adapters.repositories import CAMPAIGNS
from services.campaign.campaigns.adapters.results import COUNTERS
from services.campaign.campaigns.domain.campaigns import CampaignStatus

# Active budgeted campaigns are few; this bounds the series should that ever change.
MOST_CAMPAIGNS = 200


class BudgetGauges:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def measure(self) -> None:
        query = {"status": CampaignStatus.ACTIVE.value, "budget.points": {"$gt": 0}}
        found = self._db[CAMPAIGNS].find(query, {"budget": 1}).limit(MOST_CAMPAIGNS)
        budgets = {doc["_id"]: int(doc["budget"]["points"]) async for doc in found}
        counters = self._db[COUNTERS].find({"_id": {"$in": list(budgets)}})
        used = {doc["_id"]: doc async for doc in counters}
        METRICS.campaign_budget.clear()
        for campaign_id, budget in budgets.items():
            doc = used.get(campaign_id, {})
            granted, reserved = int(doc.get("granted", 0)), int(doc.get("reserved", 0))
            left = max(0, budget - granted - reserved)
            for state, points in (("granted", granted), ("reserved", reserved), ("left", left)):
                METRICS.campaign_budget.set((campaign_id, state), points)
