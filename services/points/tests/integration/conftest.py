"""The points service as deployed, next to a real or a slow campaign service."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import nats
import pytest
from grpc import aio
from nats.js import JetStreamContext

from libs.mongo import Database, MongoClient, make_client
from libs.nats import ensure_stream
from libs.runtime import started_service
from libs.stack.handle import LOOPBACK
from libs.stack.servers import free_port
from libs.tests.integration.support import random_name
from loyalty.campaign.v1 import campaign_pb2, campaign_pb2_grpc
from loyalty.points.v1 import points_pb2 as pb
from loyalty.points.v1.points_pb2_grpc import PointsServiceStub
from services.points.adapters.repositories import ensure_indexes
from services.points.entrypoints.main import build
from services.points.settings import PointsSettings
from services.points.tests.integration.processes import service_process
from services.points.tests.integration.support import CAMPAIGN_DB

if TYPE_CHECKING:
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub


@pytest.fixture
def tenant() -> str:
    """A tenant of this test's own, so that its events are its own on the shared stream."""
    return random_name()


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[tuple[MongoClient, Database]]:
    """A points database of this test's own, with its indexes, for handlers run directly."""
    client: MongoClient = make_client(mongo_url, app_name="points-handler-tests")
    database = client[f"points_{uuid4().hex[:8]}"]
    await ensure_indexes(database)
    yield client, database
    await client.close()


@pytest.fixture
async def campaign_db(mongo_url: str) -> AsyncIterator[Database]:
    """The campaign service's database, where tests put campaigns of their own tenant."""
    client: MongoClient = make_client(mongo_url, app_name="points-tests")
    yield client[CAMPAIGN_DB]
    await client.close()


@pytest.fixture(scope="package")
def campaign_addr(
    mongo_url: str, nats_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The campaign service, as its own process, for these tests. It stops after them:
    its consumers would otherwise share the session's stream with later tests'."""
    urls = {"mongo": mongo_url, "nats": nats_url, "redis": redis_url}
    log = tmp_path_factory.mktemp("campaign") / "campaign.log"
    with log.open("w", encoding="utf-8") as sink:
        # Grants and birthdays from this campaign service go nowhere: these tests watch
        # accrual alone.
        nowhere = f"{LOOPBACK}:{free_port()}"
        settings = {"MONGO_DB": CAMPAIGN_DB, "POINTS_ADDR": nowhere, "MEMBER_ADDR": nowhere}
        handle = service_process("campaign", urls=urls, settings=settings, sink=sink)
        handle.start()
        try:
            yield handle.url
        finally:
            handle.stop()


class SlowCampaigns(campaign_pb2_grpc.CampaignServiceServicer):
    async def ListCampaigns(  # noqa: N802
        self, request: campaign_pb2.ListCampaignsRequest, context: Any
    ) -> campaign_pb2.ListCampaignsResponse:
        return campaign_pb2.ListCampaignsResponse()

    async def EvaluateOrder(  # noqa: N802
        self, request: campaign_pb2.EvaluateOrderRequest, context: Any
    ) -> campaign_pb2.EvaluateOrderResponse:
        await asyncio.sleep(2)
        effect = campaign_pb2.Effect(campaign_id="late", kind="points", points=1000)
        return campaign_pb2.EvaluateOrderResponse(effects=[effect])


@pytest.fixture
async def slow_campaign_addr() -> AsyncIterator[str]:
    server = aio.server()
    slow = SlowCampaigns()  # type: ignore[abstract]  # answers only what the points service calls
    campaign_pb2_grpc.add_CampaignServiceServicer_to_server(slow, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    yield f"127.0.0.1:{port}"
    await server.stop(0)


def points_settings(
    mongo_url: str, nats_url: str, redis_url: str, campaigns: str
) -> PointsSettings:
    return PointsSettings(
        mongo_url=mongo_url,
        nats_url=nats_url,
        redis_url=redis_url,
        mongo_db=f"points_{uuid4().hex[:8]}",
        campaign_addr=campaigns,
        outbox_sweep_seconds=0.2,
        hold_expiry_seconds=0.2,
        shutdown_grace_seconds=1,
    )


async def serving(settings: PointsSettings, tenant: str) -> AsyncIterator[PointsServiceAsyncStub]:
    async with (
        started_service("points", settings, build, listen="127.0.0.1:0") as server,
        aio.insecure_channel(f"127.0.0.1:{server.port}") as channel,
    ):
        stub = PointsServiceStub(channel)
        rule = pb.EarningRule(
            currency="CNY",
            points_per_unit="1",
            excluded_categories=["gift_cards"],
            expiry_months=24,
        )
        await stub.PutEarningRule(pb.PutEarningRuleRequest(tenant_id=tenant, rule=rule))
        yield stub


@pytest.fixture
def settings(mongo_url: str, nats_url: str, redis_url: str, campaign_addr: str) -> PointsSettings:
    """The settings of this test's `points` service, with a database of its own."""
    return points_settings(mongo_url, nats_url, redis_url, campaign_addr)


@pytest.fixture
async def points(settings: PointsSettings, tenant: str) -> AsyncIterator[PointsServiceAsyncStub]:
    async for stub in serving(settings, tenant):
        yield stub


@pytest.fixture
async def points_without_timely_campaigns(
    mongo_url: str, nats_url: str, redis_url: str, slow_campaign_addr: str, tenant: str
) -> AsyncIterator[PointsServiceAsyncStub]:
    settings = points_settings(mongo_url, nats_url, redis_url, slow_campaign_addr)
    async for stub in serving(settings, tenant):
        yield stub


@pytest.fixture
async def observer(nats_url: str) -> AsyncIterator[JetStreamContext]:
    client = await nats.connect(nats_url)
    js = client.jetstream(timeout=5.0)
    await ensure_stream(js)
    yield js
    await client.close()
