"""Composition root of the campaign service."""

from __future__ import annotations

import socket
from datetime import timedelta
from functools import partial

from grpc import aio

from libs.clock import utc_now
from libs.grpc.client import make_channel
from libs.grpc.server import Servicer
from libs.ids import new_id
from libs.runtime import Assembly, Runtime, run_service
from libs.settings import load_settings
from libs.unit_of_work import MongoUnitOfWork
from libs.workers import Sweeper
from loyalty.campaign.v1 import campaign_pb2, campaign_pb2_grpc, coupons_pb2, coupons_pb2_grpc
from services.campaign.adapters.active_cache import CachedActiveCampaigns
from services.campaign.adapters.birthday_runs import MongoBirthdayRuns, ensure_birthday_run_indexes
from services.campaign.adapters.campaign_outbox import campaign_to_outbox
from services.campaign.adapters.campaign_store import MongoCampaignRepositories, MongoCampaignStore
from services.campaign.adapters.committed_holds import (
    MongoCommittedHolds,
    ensure_committed_hold_indexes,
)
from services.campaign.adapters.coupon_outbox import coupon_to_outbox
from services.campaign.adapters.coupon_repositories import (
    MongoCouponRepositories,
    ensure_coupon_indexes,
)
from services.campaign.adapters.daily_runs import MongoDailyRuns
from services.campaign.adapters.event_claims import MongoEventClaims
from services.campaign.adapters.member_client import MEMBER_SECONDS, GrpcMemberDirectory
from services.campaign.adapters.points_client import GRANT_SECONDS, GrpcPointsGranter
from services.campaign.adapters.purchase_campaigns import MongoActiveCampaigns
from services.campaign.adapters.repositories import MongoCampaignReader, ensure_indexes
from services.campaign.adapters.reservations import MongoReservations, ensure_reservation_indexes
from services.campaign.adapters.results import MongoResults
from services.campaign.adapters.settled_purchases import MongoSettledPurchases
from services.campaign.domain.campaigns import Trigger
from services.campaign.entrypoints.audience_wiring import build_audience, inactivity_job
from services.campaign.entrypoints.campaign_changes import CampaignChangeFollower
from services.campaign.entrypoints.grpc_coupons import CouponServicer
from services.campaign.entrypoints.grpc_servicer import CampaignServicer
from services.campaign.entrypoints.merge_consumer import coupon_merge_consumer
from services.campaign.entrypoints.purchase_events import purchase_bonus_consumer
from services.campaign.entrypoints.trigger_events import trigger_consumers
from services.campaign.handlers.admin import Admin
from services.campaign.handlers.birthdays import BirthdayJob
from services.campaign.handlers.coupon_issue import Coupons
from services.campaign.handlers.evaluation import OrderEvaluator
from services.campaign.handlers.order_coupons import SWEEP_BATCH, OrderCoupons
from services.campaign.handlers.purchase_bonus import PurchaseBonusSettler
from services.campaign.handlers.rewards import RewardGranter
from services.campaign.handlers.triggers import TriggerRewards
from services.campaign.settings import CampaignSettings


def new_campaign_id() -> str:
    return new_id("cmp_")


SWEEP_SECONDS = 60.0
SERVICE_NAME = campaign_pb2.DESCRIPTOR.services_by_name["CampaignService"].full_name
COUPON_SERVICE_NAME = coupons_pb2.DESCRIPTOR.services_by_name["CouponService"].full_name


async def build(runtime: Runtime) -> Assembly:
    settings = runtime.settings
    if not isinstance(settings, CampaignSettings):
        raise TypeError("the campaign service needs CampaignSettings")
    db = runtime.db
    await ensure_indexes(db)
    await ensure_reservation_indexes(db)
    max_age = timedelta(seconds=settings.active_campaigns_max_age_seconds)
    active = CachedActiveCampaigns(MongoActiveCampaigns(db), utc_now, max_age)
    store = MongoCampaignStore(db)
    # Purchases and members learned from events; segments, dry runs, backtests, holdouts.
    audience = await build_audience(runtime, store, utc_now)
    # Each change is stored with its campaign.changed event; every replica follows them.
    campaign_uow = MongoUnitOfWork(
        runtime.mongo, db, MongoCampaignRepositories, campaign_to_outbox, runtime.relay
    )
    admin = Admin(
        store,
        audience.results(MongoResults(db)),
        clock=utc_now,
        new_id=new_campaign_id,
        uow=campaign_uow,
        notifier=active,
    )
    campaign_changes = CampaignChangeFollower(runtime.nats, active)
    reservations = MongoReservations(db)
    evaluator = OrderEvaluator(active, reservations, utc_now, audience.audience)
    await ensure_coupon_indexes(db)
    await ensure_committed_hold_indexes(db)
    coupon_uow = MongoUnitOfWork(
        runtime.mongo, db, MongoCouponRepositories, coupon_to_outbox, runtime.relay
    )
    # Issues coupons to members, each once per issue key (campaigns and operators).
    coupons = Coupons(coupon_uow, utc_now)
    coupon_servicer = Servicer(
        coupons_pb2_grpc.add_CouponServiceServicer_to_server,
        CouponServicer(coupon_uow, coupons, utc_now),
        COUPON_SERVICE_NAME,
    )
    # A purchase campaign's coupon, issued when the order's hold is committed.
    order_coupons = OrderCoupons(MongoCommittedHolds(db), coupons)
    coupon_sweep = Sweeper("order_coupons", order_coupons.sweep, SWEEP_SECONDS, SWEEP_BATCH)
    # The merged member's coupons move to the survivor.
    coupon_merges = coupon_merge_consumer(runtime.nats, coupon_uow)
    points_channel = make_channel(settings.points_addr, default_timeout=GRANT_SECONDS)
    # Pays the campaigns' points rewards, each once per grant key.
    points = GrpcPointsGranter(points_channel)
    servicer = Servicer(
        campaign_pb2_grpc.add_CampaignServiceServicer_to_server,
        CampaignServicer(
            MongoCampaignReader(db),
            evaluator,
            admin,
            reservations,
            audience.rpcs,
            order_coupons=order_coupons,
        ),
        SERVICE_NAME,
    )
    # Releases reservations no order settled (it crashed, or its answer was lost).
    sweep = Sweeper("reservations", lambda: reservations.sweep(utc_now()), SWEEP_SECONDS)
    settled = MongoSettledPurchases(runtime.mongo, db, reservations)
    purchases = purchase_bonus_consumer(
        runtime.nats, PurchaseBonusSettler(evaluator, reservations, settled, points)
    )

    # Rewards one member for one trigger that is not a purchase, once per trigger key.
    rewards = RewardGranter(reservations, points, coupons, audience.audience, utc_now)
    triggers = trigger_consumers(
        runtime.nats, TriggerRewards(active, rewards, MongoEventClaims(runtime.mongo, db))
    )
    member_channel = make_channel(settings.member_addr, default_timeout=MEMBER_SECONDS)
    birthdays = await birthday_job(runtime, settings, active, rewards, member_channel)
    inactivity = await inactivity_job(runtime, active, rewards, utc_now)

    async def close_channels() -> None:
        await points_channel.close(None)
        await member_channel.close(None)

    return Assembly(
        servicers=[servicer, coupon_servicer],
        workers=[
            sweep,
            purchases,
            coupon_merges,
            coupon_sweep,
            *audience.workers,
            *triggers,
            birthdays,
            inactivity,
            campaign_changes,
        ],
        cleanups=[close_channels],
    )


async def birthday_job(
    runtime: Runtime,
    settings: CampaignSettings,
    active: CachedActiveCampaigns,
    rewards: RewardGranter,
    member_channel: aio.Channel,
) -> Sweeper:
    """Rewards the members whose birthday it is in their tenant's time zone, once a day."""
    await ensure_birthday_run_indexes(runtime.db)
    runs = MongoBirthdayRuns(runtime.db, utc_now)
    job = BirthdayJob(
        tenants=partial(MongoDailyRuns(runtime.db).tenants_with, Trigger.BIRTHDAY),
        campaigns=active,
        directory=GrpcMemberDirectory(member_channel),
        runs=runs,
        granter=rewards,
        clock=utc_now,
        owner=f"{socket.gethostname()}:{new_id()[-8:]}",
    )
    return Sweeper("birthdays", job, settings.birthday_job_seconds)


def main() -> None:
    run_service("campaign", load_settings(CampaignSettings), build)
