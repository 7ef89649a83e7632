"""A campaign's results read from its counters (written by the grant reservations and
leases), the grants of its leases not closed yet (a lease moves them to the counter when
it closes: lease_store.py) and the members it reached (members_reached.py), all from one
snapshot; in total and per local day of the orders granted (the counter's
`daily.<YYYY-MM-DD>`, an open lease's `days.<YYYY-MM-DD>`, the member facts'
`reached_on.<campaign>`)."""

from __future__ import annotations

from datetime import UTC, datetime

from libs.mongo import Database, Doc, Session, run_in_transaction
from services.campaign.campaigns.adapters.members_reached import (
    members_reached,
    members_reached_by_day,
)
from services.campaign.campaigns.domain.daily import DayCounts
from services.campaign.campaigns.domain.lifecycle import CampaignRecord
from services.campaign.campaigns.domain.results import CampaignResults

COUNTERS = "campaign_counters"
# Also lease_store.LEASES, which imports this module.
LEASES = "campaign_leases"
# The counter's figures per local day of the orders granted; a lease keeps its own grants
# per day (`LEASE_DAYS`) until it closes and adds them to the counter's.
DAILY = "daily"
LEASE_DAYS = "days"


def day_counts(day: str, points: int, grants: int = 1, prefix: str = DAILY) -> Doc:
    """The `$inc` of `grants` grants of `points` on `day`, added to the counter's (or the
    lease's) own update: no extra write. Without a day, today's UTC date."""
    day = day or datetime.now(UTC).date().isoformat()
    return {f"{prefix}.{day}.granted": points, f"{prefix}.{day}.grants": grants}


def days_of(doc: Doc, field: str) -> dict[str, tuple[int, int]]:
    """(points granted, grants) per day kept in `doc[field]`."""
    return {
        day: (int(c.get("granted", 0)), int(c.get("grants", 0)))
        for day, c in (doc.get(field) or {}).items()
    }


def open_leases_query(campaign_id: str) -> Doc:
    """The campaign's leases whose grants are not on its counter yet."""
    return {
        "campaign_id": campaign_id,
        "state": {"$in": ["open", "retired"]},
        "counted_at_close": True,
    }


class MongoResults:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def results(self, record: CampaignRecord) -> CampaignResults:
        async def read(session: Session) -> tuple[int, int, int]:
            doc = await self._db[COUNTERS].find_one(
                {"_id": record.campaign_id}, {DAILY: 0}, session=session
            )
            doc = doc or {}
            open_leases = self._db[LEASES].find(
                open_leases_query(record.campaign_id),
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

    async def days(self, tenant_id: str, campaign_id: str) -> dict[str, DayCounts]:
        """What the grants counted per local day (YYYY-MM-DD): the counter's days and those
        of the leases not closed yet, from one snapshot, and the members first reached on
        each day (members_reached.py)."""

        async def read(session: Session) -> dict[str, tuple[int, int]]:
            doc = await self._db[COUNTERS].find_one(
                {"_id": campaign_id}, {DAILY: 1}, session=session
            )
            days = days_of(doc or {}, DAILY)
            leases = self._db[LEASES].find(
                open_leases_query(campaign_id), {LEASE_DAYS: 1}, session=session
            )
            async for lease in leases:
                for day, (granted, grants) in days_of(lease, LEASE_DAYS).items():
                    was = days.get(day, (0, 0))
                    days[day] = (was[0] + granted, was[1] + grants)
            return days

        days = await run_in_transaction(self._db.client, read)
        members = await members_reached_by_day(self._db, tenant_id, campaign_id)
        return {
            day: DayCounts(*days.get(day, (0, 0)), members.get(day, 0))
            for day in sorted(days.keys() | members.keys())
        }
