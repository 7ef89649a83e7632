"""Campaigns over real MongoDB: listing, and reading the ones an order is evaluated against."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from libs.mongo import Database, MongoClient, make_client
from services.campaign.campaigns.adapters.purchase_campaigns import MongoActiveCampaigns
from services.campaign.campaigns.adapters.repositories import (
    CAMPAIGNS,
    MongoCampaignReader,
    ensure_indexes,
)
from services.campaign.campaigns.domain.campaigns import CampaignStatus, Trigger
from services.campaign.campaigns.domain.rules import Effect, EffectType


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[Database]:
    client: MongoClient = make_client(mongo_url, app_name="campaign-tests")
    database = client[f"campaign_{uuid4().hex[:8]}"]
    await ensure_indexes(database)
    yield database
    await client.close()


async def test_campaigns_are_listed_for_the_tenant_only_newest_first(db: Database) -> None:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    rows = [
        ("demo", "Older", "active", 0),
        ("demo", "Newer", "draft", 1),
        ("sandbox", "Other tenant", "active", 2),
    ]
    await db[CAMPAIGNS].insert_many(
        [
            {
                "_id": f"c{index}",
                "tenant_id": tenant,
                "name": name,
                "trigger": "purchase",
                "status": status,
                "version": 1,
                "created_at": start + timedelta(days=index),
            }
            for index, (tenant, name, status, _) in enumerate(rows)
        ]
    )
    reader = MongoCampaignReader(db)
    listed = await reader.list_campaigns("demo", None, 50)
    assert [c.name for c in listed] == ["Newer", "Older"]
    active = await reader.list_campaigns("demo", CampaignStatus.ACTIVE, 50)
    assert [c.name for c in active] == ["Older"]


async def test_only_active_campaigns_of_the_tenant_and_trigger_are_read_for_evaluation(
    db: Database,
) -> None:
    rows = [
        ("demo", "active", "purchase", {"type": "multiplier", "factor": "2.5"}),
        ("demo", "draft", "purchase", {"type": "bonus_points", "points": 5}),
        ("demo", "active", "birthday", {"type": "bonus_points", "points": 5}),
        ("sandbox", "active", "purchase", {"type": "bonus_points", "points": 5}),
        ("demo", "active", "purchase", {"type": "cashback"}),
    ]
    await db[CAMPAIGNS].insert_many(
        [
            {
                "_id": f"p{index}",
                "tenant_id": tenant,
                "name": "Shoes",
                "trigger": trigger,
                "status": status,
                "version": 3,
                "effect": effect,
                "conditions": {"categories": ["shoes"], "min_total": "100.00"},
                "budget": {"points": 500},
            }
            for index, (tenant, status, trigger, effect) in enumerate(rows)
        ]
    )
    [campaign] = await MongoActiveCampaigns(db).active_campaigns("demo", Trigger.PURCHASE)
    assert (campaign.campaign_id, campaign.version) == ("p0", 3)
    assert campaign.effect == Effect(EffectType.MULTIPLIER, factor=Decimal("2.5"))
    assert campaign.conditions.min_total == Decimal("100.00")
    assert campaign.conditions.categories == frozenset({"shoes"})
    assert campaign.limits.budget_points == 500
