"""The campaigns context assembled: the rules engine and its caches, the CampaignService,
the purchase, trigger and job rewards. It issues coupons through the coupons context's
`CouponIssuer`, handed in by the service's composition root."""

from __future__ import annotations

import socket
from datetime import timedelta
from functools import partial

from grpc import aio

from libs.clock import utc_now
from libs.grpc.client import make_channel
from libs.grpc.server import Servicer
from libs.ids import new_id
from libs.runtime import Assembly, Runtime
from libs.unit_of_work import MongoUnitOfWork
from libs.workers import Sweeper
from loyalty.campaign.v1 import campaign_pb2, campaign_pb2_grpc
from services.campaign.campaigns.adapters.active_cache import CachedActiveCampaigns
from services.campaign.campaigns.adapters.birthday_runs import (
    MongoBirthdayRuns,
    ensure_birthday_run_indexes,
)
from services.campaign.campaigns.adapters.budget_gauges import BudgetGauges
from services.campaign.campaigns.adapters.campaign_store import (
    MongoCampaignRepositories,
    MongoCampaignStore,
)
from services.campaign.campaigns.adapters.clients.member import MEMBER_SECONDS, GrpcMemberDirectory
from services.campaign.campaigns.adapters.clients.points import GRANT_SECONDS, GrpcPointsGranter
from services.campaign.campaigns.adapters.committed_holds import (
    MongoCommittedHolds,
    ensure_committed_hold_indexes,
)
from services.campaign.campaigns.adapters.daily_runs import MongoDailyRuns
from services.campaign.campaigns.adapters.event_claims import MongoEventClaims
from services.campaign.campaigns.adapters.events import campaign_to_outbox
from services.campaign.campaigns.adapters.lease_store import MongoLeases, ensure_lease_indexes
from services.campaign.campaigns.adapters.leases import LeasedBudgets
from services.campaign.campaigns.adapters.purchase_campaigns import MongoActiveCampaigns
from services.campaign.campaigns.adapters.repositories import MongoCampaignReader, ensure_indexes
from services.campaign.campaigns.adapters.reservations import (
    MongoReservations,
    ensure_reservation_indexes,
)
from services.campaign.campaigns.adapters.results import MongoResults
from services.campaign.campaigns.adapters.settled_purchases import MongoSettledPurchases
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.entrypoints.audience import build_audience, inactivity_job
from services.campaign.campaigns.entrypoints.consumers.changes import CampaignChangeFollower
from services.campaign.campaigns.entrypoints.consumers.history import points_consumer
from services.campaign.campaigns.entrypoints.consumers.purchases import PurchaseSettling
from services.campaign.campaigns.entrypoints.consumers.triggers import trigger_consumers
from services.campaign.campaigns.entrypoints.servicer import campaign_servicer
from services.campaign.campaigns.entrypoints.servicer.admin import CampaignAdminRpcs
from services.campaign.campaigns.entrypoints.servicer.orders import OrderRpcs
from services.campaign.campaigns.handlers.admin import Admin
from services.campaign.campaigns.handlers.birthdays import BirthdayJob
from services.campaign.campaigns.handlers.evaluation import OrderEvaluator
from services.campaign.campaigns.handlers.order_coupons import SWEEP_BATCH, OrderCoupons
from services.campaign.campaigns.handlers.purchase_bonus import PurchaseBonusSettler
from services.campaign.campaigns.handlers.rewards import RewardGranter
from services.campaign.campaigns.handlers.triggers import TriggerRewards
from services.campaign.coupons.domain.issues import CouponIssuer
from services.campaign.settings import CampaignSettings


def new_campaign_id() -> str:
    return new_id("cmp_")


SWEEP_SECONDS = 60.0
SERVICE_NAME = campaign_pb2.DESCRIPTOR.services_by_name["CampaignService"].full_name


async def build_campaigns(
    runtime: Runtime, settings: CampaignSettings, coupons: CouponIssuer
) -> Assembly:
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
        MongoResults(db),
        clock=utc_now,
        new_id=new_campaign_id,
        uow=campaign_uow,
        notifier=active,
    )
    campaign_changes = CampaignChangeFollower(runtime.nats, active)
    hold_ttl = settings.reservation_ttl_seconds
    reservations = MongoReservations(db, ttl=timedelta(seconds=hold_ttl))
    # The till's grants come from this process's budget leases, in memory; a pending bonus,
    # paid after its order, holds per order.
    await ensure_lease_indexes(db)
    leases = LeasedBudgets(
        MongoLeases(db),
        utc_now,
        owner=f"{socket.gethostname()}:{new_id()[-8:]}",
        window=timedelta(seconds=settings.budget_lease_seconds),
        grace=timedelta(seconds=hold_ttl),
    )
    evaluator = OrderEvaluator(active, reservations, utc_now, audience.audience, leases=leases)
    # Its holds are pinned: none is released by the sweep while its points are paid.
    pending_evaluator = OrderEvaluator(
        active, reservations.paying_after_order(), utc_now, audience.audience
    )
    await ensure_committed_hold_indexes(db)
    # A purchase campaign's coupon, issued when the order's hold is committed.
    order_coupons = OrderCoupons(MongoCommittedHolds(db), coupons)
    coupon_sweep = Sweeper("order_coupons", order_coupons.sweep, SWEEP_SECONDS, SWEEP_BATCH)
    points_channel = make_channel(
        settings.points_addr, default_timeout=GRANT_SECONDS, tls=settings.grpc_tls
    )
    # Pays the campaigns' points rewards, each once per grant key.
    points = GrpcPointsGranter(points_channel)
    servicer = Servicer(
        campaign_pb2_grpc.add_CampaignServiceServicer_to_server,
        campaign_servicer(
            OrderRpcs(
                MongoCampaignReader(db), evaluator, reservations, order_coupons=order_coupons
            ),
            CampaignAdminRpcs(admin),
            audience.rpcs,
        ),
        SERVICE_NAME,
    )
    # Releases reservations no order settled (it crashed, or its answer was lost).
    every = min(SWEEP_SECONDS, hold_ttl / 2)
    sweep = Sweeper("reservations", lambda: reservations.sweep(utc_now()), every)
    # Renews this process's leases in use before their window ends (retires the others);
    # closes any replica's past grace.
    lease_sweep = Sweeper("budget_leases", leases.sweep, settings.budget_lease_seconds / 4)
    settled = MongoSettledPurchases(runtime.mongo, db, reservations)
    settler = PurchaseBonusSettler(pending_evaluator, reservations, settled, points, leases=leases)
    # The points events: the purchase history and each order's bonuses, in batches.
    purchases = points_consumer(runtime.nats, runtime.mongo, db, PurchaseSettling(settler, settled))

    # Rewards one member for one trigger that is not a purchase, once per trigger key.
    rewards = RewardGranter(reservations, points, coupons, audience.audience, utc_now)
    triggers = trigger_consumers(
        runtime.nats, TriggerRewards(active, rewards, MongoEventClaims(runtime.mongo, db))
    )
    member_channel = make_channel(
        settings.member_addr, default_timeout=MEMBER_SECONDS, tls=settings.grpc_tls
    )
    birthdays = await birthday_job(runtime, settings, active, rewards, member_channel)
    inactivity = await inactivity_job(runtime, active, rewards, utc_now)

    async def close_channels() -> None:
        await points_channel.close(None)
        await member_channel.close(None)

    return Assembly(
        servicers=[servicer],
        workers=[
            sweep,
            lease_sweep,
            purchases,
            coupon_sweep,
            *audience.workers,
            *triggers,
            birthdays,
            inactivity,
            campaign_changes,
        ],
        cleanups=[leases.retire_all, close_channels],
        collectors=[BudgetGauges(db).measure],
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
