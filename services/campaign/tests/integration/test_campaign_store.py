"""Campaign records over real MongoDB: stored exactly, versions kept, races refused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from libs.mongo import Database, MongoClient, make_client
from services.campaign.campaigns.adapters.campaign_store import VERSIONS, MongoCampaignStore
from services.campaign.campaigns.adapters.repositories import ensure_indexes
from services.campaign.campaigns.adapters.results import MongoResults
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.definitions import Definition
from services.campaign.campaigns.domain.lifecycle import activate, draft, edit
from services.campaign.campaigns.domain.rules import (
    Conditions,
    Effect,
    EffectType,
    HourWindow,
    Limits,
)

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
SHOES = Definition(
    name="Double points on shoes",
    trigger=Trigger.PURCHASE,
    starts_at=NOW,
    ends_at=NOW + timedelta(days=6),
    conditions=Conditions(
        categories=frozenset({"shoes"}),
        min_total=Decimal("100.00"),
        hours=HourWindow(22, 2),
        days_of_week=frozenset({6, 7}),
        min_days_since_enrolment=3,
    ),
    effect=Effect(EffectType.MULTIPLIER, factor=Decimal("1.5")),
    limits=Limits(budget_points=1000, per_member=3),
    holdout_percent=10,
    priority=4,
    exclusive=True,
)


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[Database]:
    client: MongoClient = make_client(mongo_url, app_name="campaign-tests")
    database = client[f"campaign_{uuid4().hex[:8]}"]
    await ensure_indexes(database)
    yield database
    await client.close()


async def test_a_stored_campaign_reads_back_exactly_for_its_tenant_only(db: Database) -> None:
    store = MongoCampaignStore(db)
    record = draft("c1", "t1", SHOES, NOW)
    await store.add(record)
    assert await store.get("t1", "c1") == record
    assert await store.get("t2", "c1") is None


async def test_a_replace_against_a_stale_copy_changes_nothing(db: Database) -> None:
    store = MongoCampaignStore(db)
    record = draft("c1", "t1", SHOES, NOW)
    await store.add(record)
    active = activate(record, NOW + timedelta(seconds=1))
    assert await store.replace(active, record)
    assert not await store.replace(edit(record, replace(SHOES, priority=9), NOW), record)
    assert await store.get("t1", "c1") == active


async def test_each_version_of_an_active_campaign_is_kept(db: Database) -> None:
    store = MongoCampaignStore(db)
    record = draft("c1", "t1", SHOES, NOW)
    await store.add(record)
    active = activate(record, NOW)
    await store.replace(active, record)
    await store.replace(edit(active, replace(SHOES, priority=9), NOW), active)
    kept = {d["version"]: d["priority"] async for d in db[VERSIONS].find({"campaign_id": "c1"})}
    assert kept == {1: 4, 2: 9}


async def test_a_new_campaigns_results_show_its_whole_budget_left(db: Database) -> None:
    results = await MongoResults(db).results(draft("c1", "t1", SHOES, NOW))
    assert (results.budget_left, results.points_granted, results.members_reached) == (1000, 0, 0)
