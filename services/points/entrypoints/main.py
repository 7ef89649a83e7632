"""Composition root of the points service."""

from __future__ import annotations

import asyncio
import contextlib

from libs.balance_view import BalanceViews
from libs.grpc.client import make_channel
from libs.grpc.server import Servicer
from libs.redis import make_redis
from libs.runtime import Assembly, Runtime, run_service
from libs.settings import load_settings
from libs.unit_of_work import MongoUnitOfWork
from libs.workers import Sweeper
from loyalty.points.v1 import points_pb2, points_pb2_grpc
from services.points.adapters.balance_views import ProjectingUnitOfWork, WalletBalances
from services.points.adapters.clients import GrpcCampaignEvaluator
from services.points.adapters.erasure import MongoFreeTextEraser
from services.points.adapters.events.merge import merge_to_outbox
from services.points.adapters.events.points import to_outbox
from services.points.adapters.reconciliation import MongoReconciler
from services.points.adapters.repositories import MongoRepositories, ensure_indexes
from services.points.adapters.repositories.merge import MongoMergeRepositories, ensure_merge_indexes
from services.points.entrypoints.consumers import erasure_consumer, merge_consumer
from services.points.entrypoints.servicer import PointsServicer
from services.points.handlers.maturity import mature_wallets
from services.points.handlers.redemptions import expire_due_holds
from services.points.settings import PointsSettings

CAMPAIGN_CONNECT_SECONDS = 2.0
SERVICE_NAME = points_pb2.DESCRIPTOR.services_by_name["PointsService"].full_name


async def build(runtime: Runtime) -> Assembly:
    settings = runtime.settings
    if not isinstance(settings, PointsSettings):
        raise TypeError("the points service needs PointsSettings")
    await ensure_indexes(runtime.db)
    redis = make_redis(settings.redis_url, timeout_seconds=settings.balance_view_timeout_seconds)
    balances = WalletBalances(BalanceViews(redis))
    uow = ProjectingUnitOfWork(
        MongoUnitOfWork(runtime.mongo, runtime.db, MongoRepositories, to_outbox, runtime.relay),
        balances,
    )
    timeout = settings.campaign_timeout_ms / 1000
    channel = make_channel(settings.campaign_addr, default_timeout=timeout, tls=settings.grpc_tls)
    campaigns = GrpcCampaignEvaluator(channel, timeout)
    # Connect before the first order, whose 50 ms would otherwise go on the handshake.
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(channel.channel_ready(), timeout=CAMPAIGN_CONNECT_SECONDS)
    servicer = Servicer(
        points_pb2_grpc.add_PointsServiceServicer_to_server,
        PointsServicer(
            uow, campaigns, MongoReconciler(runtime.db), previews=campaigns, balances=balances
        ),
        SERVICE_NAME,
    )
    batch = 100
    holds = Sweeper(
        "hold_expiry",
        lambda: expire_due_holds(uow, limit=batch),
        settings.hold_expiry_seconds,
        batch,
    )
    lots = Sweeper(
        "lot_maturity", lambda: mature_wallets(uow, limit=batch), settings.lot_sweep_seconds, batch
    )

    async def close_clients() -> None:
        await channel.close(None)
        await redis.aclose()

    await ensure_merge_indexes(runtime.db)
    merges = ProjectingUnitOfWork(
        MongoUnitOfWork(
            runtime.mongo, runtime.db, MongoMergeRepositories, merge_to_outbox, runtime.relay
        ),
        balances,
    )
    return Assembly(
        servicers=[servicer],
        workers=[
            holds,
            lots,
            merge_consumer(runtime.nats, merges),
            erasure_consumer(runtime.nats, MongoFreeTextEraser(runtime.db)),
        ],
        cleanups=[close_clients],
    )


def main() -> None:
    run_service("points", load_settings(PointsSettings), build)
