"""What the budget lease tests share: a campaign of ten points a bag with a budget, a
clock, a database with the lease indexes, and the counts a test compares."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from libs.mongo import Database, MongoClient, Session, make_client, run_in_transaction
from services.campaign.campaigns.adapters.lease_store import (
    LEASES,
    MongoLeases,
    ensure_lease_indexes,
)
from services.campaign.campaigns.adapters.leases import LeasedBudgets
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.definitions import Definition
from services.campaign.campaigns.domain.lifecycle import CampaignRecord, draft
from services.campaign.campaigns.domain.reservations import Hold
from services.campaign.campaigns.domain.rules import Conditions, Effect, EffectType, Limits

TEN_POINTS_A_BAG = Definition(
    "Ten points a bag",
    Trigger.PURCHASE,
    None,
    None,
    Conditions(),
    Effect(EffectType.BONUS_POINTS, points=10),
    limits=Limits(budget_points=1000),
)

NOW = datetime(2026, 12, 6, 23, 0, tzinfo=UTC)
WINDOW, GRACE = timedelta(seconds=10), timedelta(seconds=20)
DEFINITION = TEN_POINTS_A_BAG


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[Database]:
    client: MongoClient = make_client(mongo_url, app_name="campaign-tests")
    database = client[f"campaign_{uuid4().hex[:8]}"]
    await ensure_lease_indexes(database)
    yield database
    await client.close()


def process(db: Database, clock: Clock, owner: str = "p1") -> LeasedBudgets:
    return LeasedBudgets(MongoLeases(db), clock, owner=owner, window=WINDOW, grace=GRACE)


def campaign_of(budget: int | None = 1000) -> tuple[CampaignRecord, str]:
    campaign_id = f"c{uuid4().hex[:6]}"
    definition = replace(DEFINITION, limits=Limits(budget_points=budget))
    return draft(campaign_id, "t1", definition, NOW), campaign_id


async def credit(db: Database, hold: Hold, member_id: str = "m1", day: str = "") -> None:
    """The order's points.earned, as the consumer counts it: in its own transaction."""

    async def work(session: Session) -> bool:
        leases = MongoLeases(db)
        return await leases.confirm(hold.hold_id, hold.points, member_id, session, day=day)

    assert await run_in_transaction(db.client, work)


async def counted_and_added_up(
    db: Database, campaign_id: str
) -> tuple[tuple[int, int], tuple[int, int]]:
    """(used, reserved) as the counter says, and as the campaign's leases add up (a lease
    moves what it granted from reserved to granted when it closes)."""
    counter = await db["campaign_counters"].find_one({"_id": campaign_id}) or {}
    leases = await db[LEASES].find({"campaign_id": campaign_id}).to_list()
    used = sum(lease["size"] - lease["returned"] for lease in leases)
    reserved = sum(
        lease["size"] - lease["returned"] - (lease["granted"] if lease["state"] == "closed" else 0)
        for lease in leases
    )
    return (int(counter.get("used", 0)), int(counter.get("reserved", 0))), (used, reserved)
