"""Composition root of the analytics service."""

from __future__ import annotations

from libs.grpc.client import make_channel
from libs.grpc.server import Servicer
from libs.inbox import Subscription
from libs.runtime import Assembly, Runtime, run_service
from libs.settings import load_settings
from loyalty.analytics.v1 import analytics_pb2, analytics_pb2_grpc
from services.analytics.adapters.freshness import StreamFreshness
from services.analytics.adapters.reports import MongoReports
from services.analytics.adapters.repositories import MongoUnitOfWork, ensure_indexes
from services.analytics.adapters.segments import CampaignSegments
from services.analytics.adapters.zones import MemberTimeZones
from services.analytics.entrypoints.consumers import analytics_consumer
from services.analytics.entrypoints.events import parse_logged
from services.analytics.entrypoints.layout import LayoutKeeper, first_standing
from services.analytics.entrypoints.servicer import AnalyticsServicer
from services.analytics.settings import AnalyticsSettings

SERVICE_NAME = analytics_pb2.DESCRIPTOR.services_by_name["AnalyticsService"].full_name


async def build(runtime: Runtime) -> Assembly:
    settings = runtime.settings
    if not isinstance(settings, AnalyticsSettings):
        raise TypeError("the analytics service needs AnalyticsSettings")
    await ensure_indexes(runtime.db)
    timeout = settings.member_timeout_seconds
    channel = make_channel(settings.member_addr, default_timeout=timeout, tls=settings.grpc_tls)
    zones = MemberTimeZones(channel, runtime.db, timeout_seconds=timeout)
    campaign_timeout = settings.campaign_timeout_seconds
    campaigns = make_channel(
        settings.campaign_addr, default_timeout=campaign_timeout, tls=settings.grpc_tls
    )
    segments = CampaignSegments(
        campaigns,
        timeout_seconds=campaign_timeout,
        keep_seconds=settings.segment_members_keep_seconds,
    )
    uow = MongoUnitOfWork(runtime.mongo, runtime.db)
    state = await first_standing(uow)
    keeper = LayoutKeeper(
        uow,
        parse_logged,
        zones,
        state,
        poll_seconds=settings.layout_poll_seconds,
        lease_seconds=settings.rebuild_lease_seconds,
    )
    freshness = StreamFreshness(
        runtime.nats,
        runtime.db,
        settings.events_durable,
        wait_seconds=settings.holdout_catch_up_seconds,
    )
    servicer = Servicer(
        analytics_pb2_grpc.add_AnalyticsServiceServicer_to_server,
        AnalyticsServicer(MongoReports(runtime.db), zones, segments, freshness, state),
        SERVICE_NAME,
    )

    async def close_clients() -> None:
        await channel.close(None)
        await campaigns.close(None)

    events = Subscription(durable=settings.events_durable, filter_subject=settings.events_subject)
    return Assembly(
        servicers=[servicer],
        workers=[analytics_consumer(runtime.nats, uow, zones, events), keeper],
        cleanups=[close_clients],
    )


def main() -> None:
    run_service("analytics", load_settings(AnalyticsSettings), build)
