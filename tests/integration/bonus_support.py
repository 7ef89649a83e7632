"""The campaign and points services in-process, over the session's servers, for the tests of
purchase bonuses settled from points.earned: either may be started, stopped and started
again on the same address."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import nats
from grpc import aio

from libs.mongo import Database, make_client
from libs.nats import STREAM_NAME
from libs.runtime import started_service
from libs.stack.handle import LOOPBACK
from libs.stack.servers import free_port
from libs.tests.integration.support import random_name
from libs.timestamps import timestamp
from loyalty.campaign.v1 import campaign_admin_pb2 as apb
from loyalty.campaign.v1 import campaign_pb2 as cpb
from loyalty.campaign.v1.campaign_pb2_grpc import CampaignServiceStub
from loyalty.points.v1 import points_pb2 as ppb
from loyalty.points.v1.points_pb2_grpc import PointsServiceStub
from services.campaign.campaigns.entrypoints.consumers.history import POINTS_EVENTS as SUBSCRIPTION
from services.campaign.entrypoints.main import build as build_campaign
from services.campaign.settings import CampaignSettings
from services.points.entrypoints.main import build as build_points
from services.points.settings import PointsSettings
from tests.integration.plumbing import consume_from_now
from tests.support.polling import eventually

if TYPE_CHECKING:
    from loyalty.campaign.v1.campaign_pb2_grpc import CampaignServiceAsyncStub
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub

ORDERED_AT = datetime.now(UTC) - timedelta(minutes=1)


@dataclass
class Arena:
    urls: dict[str, str]
    tenant: str = field(default_factory=random_name)
    campaign_port: int = field(default_factory=free_port)
    points_addr: str = ""
    campaign_db_name: str = field(default_factory=lambda: f"campaign_{uuid4().hex[:8]}")

    @property
    def campaign_addr(self) -> str:
        return f"{LOOPBACK}:{self.campaign_port}"

    def _common(self) -> dict[str, Any]:
        return {
            "mongo_url": self.urls["mongo"],
            "nats_url": self.urls["nats"],
            "redis_url": self.urls["redis"],
            "outbox_sweep_seconds": 0.2,
            "shutdown_grace_seconds": 1,
        }

    @asynccontextmanager
    async def campaign(self) -> AsyncIterator[CampaignServiceAsyncStub]:
        """The campaign service on its own address, paying through `points_addr`."""
        settings = CampaignSettings(
            **self._common(),
            mongo_db=self.campaign_db_name,
            points_addr=self.points_addr or f"{LOOPBACK}:{free_port()}",
            # Nothing here asks the member service.
            member_addr=f"{LOOPBACK}:{free_port()}",
        )
        async with (
            started_service("campaign", settings, build_campaign, listen=self.campaign_addr),
            aio.insecure_channel(self.campaign_addr) as channel,
        ):
            yield CampaignServiceStub(channel)

    @asynccontextmanager
    async def points(self, timeout_ms: int) -> AsyncIterator[PointsServiceAsyncStub]:
        """The points service, asking the campaign service with `timeout_ms`."""
        settings = PointsSettings(
            **self._common(),
            mongo_db=f"points_{uuid4().hex[:8]}",
            campaign_addr=self.campaign_addr,
            campaign_timeout_ms=timeout_ms,
        )
        async with started_service("points", settings, build_points, listen="127.0.0.1:0") as ps:
            self.points_addr = f"127.0.0.1:{ps.port}"
            async with aio.insecure_channel(self.points_addr) as channel:
                stub = PointsServiceStub(channel)
                rule = ppb.EarningRule(currency="CNY", points_per_unit="1", expiry_months=24)
                await stub.PutEarningRule(
                    ppb.PutEarningRuleRequest(tenant_id=self.tenant, rule=rule)
                )
                yield stub

    @asynccontextmanager
    async def campaign_database(self) -> AsyncIterator[Database]:
        client = make_client(self.urls["mongo"], app_name="bonus-tests")
        try:
            yield client[self.campaign_db_name]
        finally:
            await client.close()


async def settle_from_now(urls: dict[str, str]) -> None:
    """The points events consumer (history and bonuses) starts at the end of the session's
    stream."""
    await consume_from_now(urls["nats"], SUBSCRIPTION)


async def active_campaign(
    campaigns: CampaignServiceAsyncStub,
    tenant: str,
    points: int,
    *,
    conditions: apb.CampaignConditions | None = None,
    budget: int = 1000,
    per_member: int | None = None,
) -> tuple[str, int]:
    """A purchase campaign of `points` bonus points, active now; its id and version. With
    `per_member`, each grant holds the member's slot per order; without, it comes from the
    campaign service's budget lease."""
    definition = apb.CampaignDefinition(
        name=f"{points} bonus points",
        trigger="purchase",
        starts_at=timestamp(ORDERED_AT - timedelta(days=1)),
        ends_at=timestamp(ORDERED_AT + timedelta(days=1)),
        conditions=conditions or apb.CampaignConditions(),
        effect=apb.CampaignEffect(type="bonus_points", points=points),
        budget_points=budget,
        per_member_limit=per_member,
    )
    created = await campaigns.CreateCampaign(
        apb.CreateCampaignRequest(tenant_id=tenant, definition=definition)
    )
    campaign_id = created.campaign.campaign_id
    active = await campaigns.ActivateCampaign(
        apb.ActivateCampaignRequest(tenant_id=tenant, campaign_id=campaign_id)
    )
    return campaign_id, active.campaign.version


async def results_of(
    campaigns: CampaignServiceAsyncStub, tenant: str, campaign_id: str
) -> apb.CampaignResults:
    found = await campaigns.GetCampaign(
        apb.GetCampaignRequest(tenant_id=tenant, campaign_id=campaign_id)
    )
    return found.campaign.results


def an_order(tenant: str, member_id: str, *, birth_month: int = 0) -> ppb.AccrueOrderRequest:
    return ppb.AccrueOrderRequest(
        tenant_id=tenant,
        member=ppb.MemberContext(member_id=member_id, tier_multiplier="1", birth_month=birth_month),
        order_id=f"POS-{uuid4().hex}",
        channel="pos",
        store_id="S001",
        occurred_at=timestamp(ORDERED_AT),
        currency="CNY",
        total="200.00",
        lines=[ppb.OrderLine(sku="BAG-1", category="bags", quantity=1, unit_price="200.00")],
    )


def an_evaluation(order: ppb.AccrueOrderRequest) -> cpb.EvaluateOrderRequest:
    """What the points service asks for `order` (200 base points on one line)."""
    return cpb.EvaluateOrderRequest(
        tenant_id=order.tenant_id,
        member_id=order.member.member_id,
        order_id=order.order_id,
        channel=order.channel,
        store_id=order.store_id,
        occurred_at=order.occurred_at,
        currency=order.currency,
        total=order.total,
        lines=[
            cpb.EvaluatedLine(
                sku=line.sku,
                category=line.category,
                quantity=line.quantity,
                amount=line.unit_price,
                base_points=200,
            )
            for line in order.lines
        ],
    )


async def bonus_entries(
    points: PointsServiceAsyncStub, tenant: str, member_id: str
) -> list[ppb.LedgerEntry]:
    page = await points.GetLedger(
        ppb.GetLedgerRequest(tenant_id=tenant, member_id=member_id, limit=100)
    )
    return [entry for entry in page.entries if entry.type == "bonus"]


async def publish(urls: dict[str, str], subject: str, data: bytes) -> int:
    """Publish as the outbox relay does, under a new message id; the stream sequence."""
    client = await nats.connect(urls["nats"])
    try:
        headers = {
            "Nats-Msg-Id": f"redelivery-{uuid4().hex}",
            "Loyalty-Event-Type": "points.earned",
        }
        ack = await client.jetstream().publish(subject, data, headers=headers)
        return ack.seq
    finally:
        await client.close()


async def last_earned(urls: dict[str, str], tenant: str) -> bytes:
    """The payload of the tenant's latest points.earned, as the stream holds it."""
    client = await nats.connect(urls["nats"])
    try:
        msg = await client.jetstream().get_last_msg(STREAM_NAME, f"loyalty.{tenant}.points.earned")
        return msg.data or b""
    finally:
        await client.close()


async def handled(urls: dict[str, str], seq: int) -> None:
    """Wait until the points events consumer (history and bonuses) has acknowledged the
    stream up to `seq`."""
    client = await nats.connect(urls["nats"])
    try:
        js = client.jetstream()

        async def acked() -> bool:
            info = await js.consumer_info(STREAM_NAME, SUBSCRIPTION.durable)
            return info.ack_floor is not None and (info.ack_floor.stream_seq or 0) >= seq

        await eventually(acked, within=20)
    finally:
        await client.close()
