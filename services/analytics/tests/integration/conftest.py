"""The analytics service as deployed, in-process, over the session's servers; the member
service it asks for time zones is a stand-in that answers Asia/Shanghai."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import nats
import pytest
from grpc import aio
from nats.js import JetStreamContext

from libs.mongo import Database, MongoClient, make_client
from libs.nats import ensure_stream
from libs.runtime import started_service
from libs.tests.integration.support import random_name
from loyalty.analytics.v1.analytics_pb2_grpc import AnalyticsServiceStub
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
def settings(
    mongo_url: str, nats_url: str, redis_url: str, member_addr: str, tenant: str
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
