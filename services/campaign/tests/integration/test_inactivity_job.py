"""The inactivity job over real MongoDB: members whose purchases stopped N days ago get the
campaign's reward once, however often the job runs, and each tenant runs once a day."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from libs.mongo import Database, MongoClient, make_client
from services.campaign.campaigns.adapters.campaign_store import MongoCampaignStore
from services.campaign.campaigns.adapters.daily_runs import MongoDailyRuns, ensure_daily_run_indexes
from services.campaign.campaigns.adapters.history import HistoryWriter, ensure_history_indexes
from services.campaign.campaigns.adapters.history_reads import MongoHistory
from services.campaign.campaigns.adapters.purchase_campaigns import MongoActiveCampaigns
from services.campaign.campaigns.adapters.repositories import ensure_indexes
from services.campaign.campaigns.adapters.reservations import (
    MongoReservations,
    ensure_reservation_indexes,
)
from services.campaign.campaigns.domain import lifecycle
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.definitions import Definition
from services.campaign.campaigns.domain.history import OrderRecord
from services.campaign.campaigns.domain.rules import Conditions, Effect, EffectType
from services.campaign.campaigns.handlers.inactivity import InactivityJob
from services.campaign.campaigns.handlers.rewards import RewardGranter
from services.campaign.tests.reward_fakes import FakeAudience, FakeCoupons, FakePoints

NOW = datetime.now(UTC)


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[Database]:
    client: MongoClient = make_client(mongo_url, app_name="inactivity-tests")
    database = client[f"campaign_{uuid4().hex[:8]}"]
    await ensure_indexes(database)
    await ensure_reservation_indexes(database)
    await ensure_history_indexes(database)
    await ensure_daily_run_indexes(database)
    yield database
    await client.close()


async def bought(db: Database, tenant: str, member_id: str, days_ago: int) -> None:
    record = OrderRecord(
        tenant,
        f"o-{uuid4().hex}",
        member_id,
        NOW - timedelta(days=days_ago),
        "pos",
        "S001",
        "CNY",
        10000,
        100,
        (),
    )
    await HistoryWriter(db, None).record_order(record)


async def test_lapsed_members_are_rewarded_once_however_often_the_job_runs(db: Database) -> None:
    tenant = f"t-{uuid4().hex[:8]}"
    definition = Definition(
        name="We miss you",
        trigger=Trigger.INACTIVITY,
        starts_at=None,
        ends_at=None,
        conditions=Conditions(inactive_days=30),
        effect=Effect(EffectType.BONUS_POINTS, points=200),
    )
    record = lifecycle.activate(lifecycle.draft("c-miss", tenant, definition, NOW), NOW)
    await MongoCampaignStore(db).add(record)
    # m1 and m2 lapsed within the last week; m3 still buys; m4 lapsed long before.
    for member_id, days_ago in [("m1", 31), ("m2", 40), ("m2", 36), ("m3", 5), ("m4", 60)]:
        await bought(db, tenant, member_id, days_ago)
    points = FakePoints()
    granter = RewardGranter(
        MongoReservations(db), points, FakeCoupons(), FakeAudience(), lambda: NOW
    )
    job = InactivityJob(
        MongoActiveCampaigns(db), MongoHistory(db), MongoDailyRuns(db), granter, lambda: NOW
    )

    first = await job.run_tenant(tenant)
    again = await job.run_tenant(tenant)
    swept = await job.sweep()
    swept_again = await job.sweep()

    assert (first, again) == (2, 0)
    paid = sorted((g.member_id, g.points, g.grant_key) for g in points.paid.values())
    lapsed_on = {
        "m1": (NOW - timedelta(days=1)).date(),
        "m2": (NOW - timedelta(days=6)).date(),
    }
    assert paid == [
        (m, 200, f"c-miss:{m}:{day.isoformat()}") for m, day in sorted(lapsed_on.items())
    ]
    assert swept == 1
    assert swept_again == 0
