"""Two campaign replicas over one database: a change made through one replica's admin
call reaches the other's active set in memory through campaign.changed."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from uuid import uuid4

from grpc import aio

from libs.runtime import started_service
from libs.tests.integration.support import random_name
from libs.timestamps import timestamp
from loyalty.campaign.v1 import campaign_admin_pb2 as apb
from loyalty.campaign.v1 import campaign_pb2 as pb
from loyalty.campaign.v1.campaign_pb2_grpc import CampaignServiceStub
from services.campaign.entrypoints.main import build
from services.campaign.settings import CampaignSettings

if TYPE_CHECKING:
    from loyalty.campaign.v1.campaign_pb2_grpc import CampaignServiceAsyncStub

NOWHERE = "127.0.0.1:9"


async def replicas(
    stack: AsyncExitStack, urls: dict[str, str], count: int
) -> list[CampaignServiceAsyncStub]:
    """Replicas of one deployment; a set in memory would stay for an hour unless told."""
    settings = CampaignSettings(
        mongo_url=urls["mongo"],
        nats_url=urls["nats"],
        redis_url=urls["redis"],
        mongo_db=f"campaign_{uuid4().hex[:8]}",
        points_addr=NOWHERE,
        member_addr=NOWHERE,
        outbox_sweep_seconds=0.2,
        shutdown_grace_seconds=1,
        active_campaigns_max_age_seconds=3600,
    )
    stubs: list[CampaignServiceAsyncStub] = []
    for _ in range(count):
        server = await stack.enter_async_context(
            started_service("campaign", settings, build, listen="127.0.0.1:0")
        )
        channel = await stack.enter_async_context(aio.insecure_channel(f"127.0.0.1:{server.port}"))
        stubs.append(CampaignServiceStub(channel))
    return stubs


def bonus_on_every_order(tenant: str) -> apb.CreateCampaignRequest:
    now = datetime.now(UTC)
    return apb.CreateCampaignRequest(
        tenant_id=tenant,
        definition=apb.CampaignDefinition(
            name="Ten on every order",
            trigger="purchase",
            starts_at=timestamp(now - timedelta(days=1)),
            ends_at=timestamp(now + timedelta(days=1)),
            effect=apb.CampaignEffect(type="bonus_points", points=10),
        ),
    )


async def applied(stub: CampaignServiceAsyncStub, tenant: str) -> list[str]:
    """The campaigns a cart would earn now (a dry run: nothing held)."""
    answer = await stub.EvaluateOrder(
        pb.EvaluateOrderRequest(
            tenant_id=tenant,
            member_id="m1",
            channel="pos",
            store_id="S001",
            occurred_at=timestamp(datetime.now(UTC)),
            currency="CNY",
            total="100.00",
            lines=[pb.EvaluatedLine(sku="A", category="c", quantity=1, amount="100.00")],
            dry_run=True,
        )
    )
    return [effect.campaign_id for effect in answer.effects]


async def until_applied(stub: CampaignServiceAsyncStub, tenant: str, wanted: list[str]) -> None:
    while True:
        if await applied(stub, tenant) == wanted:
            return
        await asyncio.sleep(0.1)


async def test_an_admin_change_on_one_replica_refreshes_the_others_active_set(
    mongo_url: str, nats_url: str, redis_url: str
) -> None:
    tenant = random_name()
    urls = {"mongo": mongo_url, "nats": nats_url, "redis": redis_url}
    async with AsyncExitStack() as stack:
        admin_side, other = await replicas(stack, urls, 2)
        created = await admin_side.CreateCampaign(bonus_on_every_order(tenant))
        campaign_id = created.campaign.campaign_id
        assert await applied(other, tenant) == []  # the other replica now holds the empty set

        await admin_side.ActivateCampaign(
            apb.ActivateCampaignRequest(tenant_id=tenant, campaign_id=campaign_id)
        )
        await asyncio.wait_for(until_applied(other, tenant, [campaign_id]), timeout=20)

        await admin_side.PauseCampaign(
            apb.PauseCampaignRequest(tenant_id=tenant, campaign_id=campaign_id)
        )
        await asyncio.wait_for(until_applied(other, tenant, []), timeout=20)
