"""The analytics service as deployed, in-process, over the session's servers; the member
service it asks for time zones is a stand-in that answers Asia/Shanghai, and the campaign
service it asks for segments' members a stand-in that holds the segments a test gives it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import uuid4

import nats
import pytest
from grpc import aio
from nats.js import JetStreamContext

from libs.errors import NotFound
from libs.grpc.errors import ErrorInterceptor
from libs.mongo import Database, MongoClient, make_client
from libs.nats import ensure_stream
from libs.runtime import started_service
from libs.tests.integration.support import random_name
from libs.timestamps import timestamp
from loyalty.analytics.v1.analytics_pb2_grpc import AnalyticsServiceStub
from loyalty.campaign.v1 import campaign_audience_pb2, campaign_pb2_grpc
from loyalty.member.v1 import member_pb2, member_pb2_grpc
from services.analytics.entrypoints.main import build
from services.analytics.settings import AnalyticsSettings

ZONE = "Asia/Shanghai"


class TenantZones(member_pb2_grpc.MemberServiceServicer):
    async def GetTenantSettings(  # noqa: N802
        self, request: member_pb2.GetTenantSettingsRequest, context: Any
    ) -> member_pb2.GetTenantSettingsResponse:
        settings = member_pb2.TenantSettings(time_zone=ZONE)
        return member_pb2.GetTenantSettingsResponse(settings=settings)


@dataclass
class HeldSegment:
    member_ids: list[str]
    refreshed_at: datetime
    profiling: bool = False


@dataclass
class SegmentsStandIn(campaign_pb2_grpc.CampaignServiceServicer):
    """Answers a segment and its members, two ids a page (so every read pages), and counts
    the pages it served."""

    segments: dict[tuple[str, str], HeldSegment] = field(default_factory=dict)
    pages: int = 0
    page_size: int = 2

    def _segment(self, tenant_id: str, segment_id: str) -> tuple[HeldSegment, Any]:
        held = self.segments.get((tenant_id, segment_id))
        if held is None:
            raise NotFound(f"segment {segment_id} not found")
        rules = campaign_audience_pb2.SegmentRules(profiling_consent=held.profiling)
        message = campaign_audience_pb2.Segment(
            segment_id=segment_id,
            rules=rules,
            size=len(held.member_ids),
            refreshed_at=timestamp(held.refreshed_at),
        )
        return held, message

    async def GetSegment(  # noqa: N802
        self, request: campaign_audience_pb2.GetSegmentRequest, context: Any
    ) -> campaign_audience_pb2.GetSegmentResponse:
        _, segment = self._segment(request.tenant_id, request.segment_id)
        return campaign_audience_pb2.GetSegmentResponse(segment=segment)

    async def ListSegmentMembers(  # noqa: N802
        self, request: campaign_audience_pb2.ListSegmentMembersRequest, context: Any
    ) -> campaign_audience_pb2.ListSegmentMembersResponse:
        held, segment = self._segment(request.tenant_id, request.segment_id)
        self.pages += 1
        after = sorted(m for m in held.member_ids if m > request.page_token)
        page = after[: self.page_size]
        more = len(after) > self.page_size
        return campaign_audience_pb2.ListSegmentMembersResponse(
            segment=segment, member_ids=page, next_page_token=page[-1] if more else ""
        )


@pytest.fixture
def tenant() -> str:
    return random_name()


@pytest.fixture
async def member_addr() -> AsyncIterator[str]:
    server = aio.server()
    zones = TenantZones()  # type: ignore[abstract]  # answers only what analytics calls
    member_pb2_grpc.add_MemberServiceServicer_to_server(zones, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    yield f"127.0.0.1:{port}"
    await server.stop(0)


@pytest.fixture
async def campaign_service() -> AsyncIterator[tuple[str, SegmentsStandIn]]:
    server = aio.server(interceptors=[ErrorInterceptor()])
    stand_in = SegmentsStandIn()  # type: ignore[abstract]  # answers only what analytics calls
    campaign_pb2_grpc.add_CampaignServiceServicer_to_server(stand_in, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    yield f"127.0.0.1:{port}", stand_in
    await server.stop(0)


@pytest.fixture
def segments(campaign_service: tuple[str, SegmentsStandIn]) -> SegmentsStandIn:
    return campaign_service[1]


@pytest.fixture
def settings(
    mongo_url: str,
    nats_url: str,
    redis_url: str,
    *,
    member_addr: str,
    campaign_service: tuple[str, SegmentsStandIn],
    tenant: str,
) -> AnalyticsSettings:
    """A database and a durable of this test's own, following its tenant's events only:
    the session's stream holds every other suite's events too."""
    return AnalyticsSettings(
        events_durable=f"analytics-{tenant}",
        events_subject=f"loyalty.{tenant}.>",
        mongo_url=mongo_url,
        nats_url=nats_url,
        redis_url=redis_url,
        mongo_db=f"analytics_{uuid4().hex[:8]}",
        member_addr=member_addr,
        campaign_addr=campaign_service[0],
        outbox_sweep_seconds=0.2,
        shutdown_grace_seconds=1,
    )


@pytest.fixture
async def analytics(settings: AnalyticsSettings) -> AsyncIterator[Any]:
    async with (
        started_service("analytics", settings, build, listen="127.0.0.1:0") as server,
        aio.insecure_channel(f"127.0.0.1:{server.port}") as channel,
    ):
        yield AnalyticsServiceStub(channel)


@pytest.fixture
async def analytics_db(
    mongo_url: str, settings: AnalyticsSettings
) -> AsyncIterator[tuple[MongoClient, Database]]:
    client: MongoClient = make_client(mongo_url, app_name="analytics-tests")
    yield client, client[settings.mongo_db]
    await client.close()


@pytest.fixture
async def publisher(nats_url: str) -> AsyncIterator[JetStreamContext]:
    client = await nats.connect(nats_url)
    js = client.jetstream(timeout=5.0)
    await ensure_stream(js)
    yield js
    await client.close()
