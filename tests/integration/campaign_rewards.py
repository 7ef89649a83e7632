"""Campaign rewards over real servers: the points service as deployed, the campaign
service's own storage in a fresh database, and a way to read what landed in a ledger."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from itertools import count
from typing import TYPE_CHECKING
from uuid import uuid4

from grpc import aio

from libs.clock import utc_now
from libs.mongo import Database, MongoClient
from libs.runtime import started_service
from libs.unit_of_work import MongoUnitOfWork
from loyalty.points.v1 import points_pb2 as ppb
from loyalty.points.v1.points_pb2_grpc import PointsServiceStub
from services.campaign.campaigns.adapters.campaign_store import (
    MongoCampaignRepositories,
    MongoCampaignStore,
)
from services.campaign.campaigns.adapters.clients.points import GrpcPointsGranter
from services.campaign.campaigns.adapters.events import campaign_to_outbox
from services.campaign.campaigns.adapters.purchase_campaigns import MongoActiveCampaigns
from services.campaign.campaigns.adapters.repositories import ensure_indexes
from services.campaign.campaigns.adapters.reservations import (
    MongoReservations,
    ensure_reservation_indexes,
)
from services.campaign.campaigns.adapters.results import MongoResults
from services.campaign.campaigns.domain.audience import NoAudience
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.definitions import Definition
from services.campaign.campaigns.domain.rules import Conditions, Effect, EffectType, Limits
from services.campaign.campaigns.handlers.admin import Admin
from services.campaign.campaigns.handlers.rewards import RewardGranter
from services.campaign.coupons.domain.issues import CouponIssue, IssuedCoupon
from services.points.entrypoints.main import build as build_points
from services.points.settings import PointsSettings

if TYPE_CHECKING:
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub


def bonus_campaign(trigger: Trigger, points: int, budget: int | None = None) -> Definition:
    return Definition(
        name=f"{trigger} bonus",
        trigger=trigger,
        starts_at=utc_now() - timedelta(days=1),
        ends_at=utc_now() + timedelta(days=30),
        conditions=Conditions(),
        effect=Effect(EffectType.BONUS_POINTS, points=points),
        limits=Limits(budget_points=budget),
    )


class NoCoupons:
    async def issue(self, issue: CouponIssue) -> IssuedCoupon:
        raise AssertionError("these campaigns hand out points only")


@dataclass
class CampaignSide:
    db: Database
    admin: Admin
    active: MongoActiveCampaigns
    rewards: RewardGranter

    async def active_campaign(self, tenant: str, definition: Definition) -> str:
        created = await self.admin.create(tenant, definition)
        await self.admin.activate(tenant, created.record.campaign_id)
        return created.record.campaign_id


async def campaign_side(client: MongoClient, points: aio.Channel) -> CampaignSide:
    db = client[f"campaign_{uuid4().hex[:8]}"]
    await ensure_indexes(db)
    await ensure_reservation_indexes(db)
    ids = count(1)
    uow = MongoUnitOfWork(client, db, MongoCampaignRepositories, campaign_to_outbox)
    store, new_id = MongoCampaignStore(db), lambda: f"cmp_{uuid4().hex[:6]}{next(ids)}"
    admin = Admin(store, MongoResults(db), utc_now, new_id, uow)
    granter = GrpcPointsGranter(points)
    rewards = RewardGranter(MongoReservations(db), granter, NoCoupons(), NoAudience(), utc_now)
    return CampaignSide(db, admin, MongoActiveCampaigns(db), rewards)


@asynccontextmanager
async def points_service(urls: dict[str, str], tenant: str) -> AsyncIterator[aio.Channel]:
    """The points service as deployed, with a database of its own and the tenant's earning
    rule; its campaign service is never asked (no orders here)."""
    settings = PointsSettings(
        mongo_url=urls["mongo"],
        nats_url=urls["nats"],
        redis_url=urls["redis"],
        mongo_db=f"points_{uuid4().hex[:8]}",
        campaign_addr="127.0.0.1:9",
        outbox_sweep_seconds=0.2,
        shutdown_grace_seconds=1,
    )
    async with (
        started_service("points", settings, build_points, listen="127.0.0.1:0") as server,
        aio.insecure_channel(f"127.0.0.1:{server.port}") as channel,
    ):
        stub: PointsServiceAsyncStub = PointsServiceStub(channel)
        rule = ppb.EarningRule(currency="CNY", points_per_unit="1", expiry_months=24)
        await stub.PutEarningRule(ppb.PutEarningRuleRequest(tenant_id=tenant, rule=rule))
        yield channel


async def campaign_points(channel: aio.Channel, tenant: str, member_id: str) -> list[int]:
    """The points of each campaign grant in the member's ledger."""
    stub: PointsServiceAsyncStub = PointsServiceStub(channel)
    ledger = await stub.GetLedger(
        ppb.GetLedgerRequest(tenant_id=tenant, member_id=member_id, limit=50)
    )
    return [entry.points for entry in ledger.entries if entry.campaign_id]
