"""The budget of each active campaign, as gauges read at a scrape: granted, reserved and
left add up to the budget, and a campaign no longer active drops out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from libs.metrics.process import METRICS
from libs.mongo import Database, MongoClient, make_client
from services.campaign.campaigns.adapters.budget_gauges import BudgetGauges
from services.campaign.campaigns.adapters.documents import record_doc
from services.campaign.campaigns.adapters.repositories import CAMPAIGNS
from services.campaign.campaigns.adapters.results import COUNTERS
from services.campaign.campaigns.domain.campaigns import CampaignStatus
from services.campaign.campaigns.domain.lifecycle import draft
from services.campaign.tests.integration.lease_support import TEN_POINTS_A_BAG

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[Database]:
    client: MongoClient = make_client(mongo_url, app_name="campaign-tests")
    yield client[f"campaign_{uuid4().hex[:8]}"]
    await client.close()


async def a_campaign(db: Database, status: CampaignStatus, granted: int, reserved: int) -> str:
    campaign_id = f"c{uuid4().hex[:6]}"
    record = replace(draft(campaign_id, "t1", TEN_POINTS_A_BAG, NOW), status=status)
    await db[CAMPAIGNS].insert_one(record_doc(record))
    await db[COUNTERS].insert_one({"_id": campaign_id, "granted": granted, "reserved": reserved})
    return campaign_id


def budget(campaign_id: str) -> dict[str, float]:
    states = ("granted", "reserved", "left")
    return {s: METRICS.campaign_budget.value((campaign_id, s)) for s in states}


async def test_an_active_campaign_shows_its_budget_granted_reserved_and_left(db: Database) -> None:
    active = await a_campaign(db, CampaignStatus.ACTIVE, granted=300, reserved=200)
    paused = await a_campaign(db, CampaignStatus.PAUSED, granted=10, reserved=0)
    METRICS.campaign_budget.set((paused, "left"), 990)  # from when it was active

    await BudgetGauges(db).measure()

    assert budget(active) == {"granted": 300, "reserved": 200, "left": 500}
    assert budget(paused) == {"granted": 0, "reserved": 0, "left": 0}
    assert f'campaign_budget_points{{campaign="{paused}"' not in METRICS.registry.render()
