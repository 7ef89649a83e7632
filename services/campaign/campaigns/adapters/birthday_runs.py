"""Birthday runs in MongoDB: one document per tenant, campaign and local day, held by one
replica at a time through a lease, and marked done once every page was rewarded.

- birthday_runs: `_id` "<tenant>:<campaign>:<YYYY-MM-DD>", `state` running or done,
  `owner` and `lease_until` while running, `part` and `cursor` where it stands."""

from __future__ import annotations

from datetime import timedelta

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from libs.clock import Clock
from libs.mongo import Database, Doc
from services.campaign.campaigns.adapters.repositories import CAMPAIGNS
from services.campaign.campaigns.domain.birthdays import BirthdayRun

RUNS = "birthday_runs"
KEEP_DAYS = 40


async def ensure_birthday_run_indexes(db: Database) -> None:
    await db[RUNS].create_index("created_at", expireAfterSeconds=KEEP_DAYS * 24 * 3600)
    # The daily jobs look for the tenants with an active campaign of their trigger.
    await db[CAMPAIGNS].create_index([("status", ASCENDING), ("trigger", ASCENDING)])


def _run_id(run: BirthdayRun) -> str:
    return f"{run.tenant_id}:{run.campaign_id}:{run.day.isoformat()}"


class MongoBirthdayRuns:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        lease: timedelta = timedelta(minutes=2),
    ) -> None:
        self._db = db
        self._clock = clock
        self._lease = lease

    async def claim(self, run: BirthdayRun, owner: str) -> BirthdayRun | None:
        now = self._clock()
        held = {"state": "running", "owner": owner, "lease_until": now + self._lease}
        try:
            await self._db[RUNS].insert_one(
                {"_id": _run_id(run), **held, "part": 0, "cursor": "", "created_at": now}
            )
            return run
        except DuplicateKeyError:
            pass  # started before: take it over only if its holder's lease lapsed
        doc: Doc | None = await self._db[RUNS].find_one_and_update(
            {"_id": _run_id(run), "state": "running", "lease_until": {"$lt": now}},
            {"$set": held},
        )
        if doc is None:
            return None
        return BirthdayRun(run.tenant_id, run.campaign_id, run.day, doc["cursor"], doc["part"])

    async def progress(self, run: BirthdayRun, owner: str) -> bool:
        moved = await self._db[RUNS].update_one(
            {"_id": _run_id(run), "state": "running", "owner": owner},
            {
                "$set": {
                    "cursor": run.cursor,
                    "part": run.part,
                    "lease_until": self._clock() + self._lease,
                }
            },
        )
        return moved.matched_count == 1

    async def finish(self, run: BirthdayRun, owner: str, *, done: bool) -> None:
        change = {"state": "done"} if done else {"lease_until": self._clock()}
        await self._db[RUNS].update_one(
            {"_id": _run_id(run), "state": "running", "owner": owner}, {"$set": change}
        )
