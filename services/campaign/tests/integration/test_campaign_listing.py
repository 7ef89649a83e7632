"""Campaign listing over real MongoDB: scoped to the tenant, filtered, newest first."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from libs.mongo import Database, MongoClient, make_client
from services.campaign.adapters.repositories import CAMPAIGNS, MongoCampaignReader, ensure_indexes
from services.campaign.domain.campaigns import CampaignStatus


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
