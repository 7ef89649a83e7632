"""A campaign's results read from its counters (written by the grant reservations and the
leases), in total and per local day of the orders granted (`daily.<YYYY-MM-DD>`)."""

from __future__ import annotations

from datetime import UTC, datetime

from libs.mongo import Database
from services.campaign.campaigns.domain.daily import DayCounts
from services.campaign.campaigns.domain.lifecycle import CampaignRecord
from services.campaign.campaigns.domain.results import CampaignResults

COUNTERS = "campaign_counters"
MEMBER_GRANTS = "campaign_member_grants"
DAILY = "daily"


def day_counts(day: str, points: int, first_for_member: bool) -> dict[str, int]:
    """The `$inc` of one grant on its day, added to the counter's own update (no extra
    write per purchase). Without a day, today's UTC date."""
    day = day or datetime.now(UTC).date().isoformat()
    counts = {f"{DAILY}.{day}.granted": points, f"{DAILY}.{day}.grants": 1}
    if first_for_member:
        counts[f"{DAILY}.{day}.members"] = 1
    return counts


class MongoResults:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def results(self, record: CampaignRecord) -> CampaignResults:
        budget = record.definition.limits.budget_points
        doc = await self._db[COUNTERS].find_one({"_id": record.campaign_id}, {DAILY: 0}) or {}
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

    async def days(self, campaign_id: str) -> dict[str, DayCounts]:
        """What the grants counted per local day (YYYY-MM-DD)."""
        doc = await self._db[COUNTERS].find_one({"_id": campaign_id}, {DAILY: 1}) or {}
        return {
            day: DayCounts(
                int(c.get("granted", 0)), int(c.get("grants", 0)), int(c.get("members", 0))
            )
            for day, c in (doc.get(DAILY) or {}).items()
        }
