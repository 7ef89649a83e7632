"""Daily jobs claimed per day in MongoDB, so one replica runs each; a claim whose replica
died runs again after its lease (the job's grants are idempotent, so that is safe)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pymongo.errors import DuplicateKeyError

from libs.mongo import Database
from services.campaign.campaigns.adapters.repositories import CAMPAIGNS
from services.campaign.campaigns.domain.campaigns import CampaignStatus, Trigger

RUNS = "job_runs"
KEEP_DAYS = 40


async def ensure_daily_run_indexes(db: Database) -> None:
    await db[RUNS].create_index("leased_until", expireAfterSeconds=KEEP_DAYS * 24 * 3600)


class MongoDailyRuns:
    def __init__(self, db: Database, lease: timedelta = timedelta(minutes=30)) -> None:
        self._db = db
        self._lease = lease

    async def tenants_with(self, trigger: Trigger) -> list[str]:
        query = {"status": CampaignStatus.ACTIVE.value, "trigger": trigger.value}
        return sorted(await self._db[CAMPAIGNS].distinct("tenant_id", query))

    async def claim(self, job: str, day: date, now: datetime) -> bool:
        key = f"{job}:{day.isoformat()}"
        try:
            claimed = await self._db[RUNS].update_one(
                {"_id": key, "done": False, "leased_until": {"$lte": now}},
                {"$set": {"leased_until": now + self._lease}},
                upsert=True,
            )
        except DuplicateKeyError:
            return False  # done, or another replica holds the lease
        return claimed.upserted_id is not None or claimed.modified_count == 1

    async def done(self, job: str, day: date) -> None:
        await self._db[RUNS].update_one(
            {"_id": f"{job}:{day.isoformat()}"}, {"$set": {"done": True}}
        )
