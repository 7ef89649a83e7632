"""One purchase through the gateway is one trace: the HTTP request, the gateway's calls to
the member and points services, the points service's call to the campaign service, the
relay's publish of `points.earned` and every consumer of it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from typing import Any
from uuid import uuid4

import pytest
from grpc import aio
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from gateway.settings import GatewaySettings
from gateway.tests.integration.support import Gateway, running_gateway
from libs.runtime import started_service
from libs.stack.handle import LOOPBACK
from libs.stack.servers import free_port
from libs.tests.integration.support import random_name
from loyalty.campaign.v1.campaign_pb2_grpc import CampaignServiceStub
from loyalty.points.v1 import points_pb2 as ppb
from loyalty.points.v1.points_pb2_grpc import PointsServiceStub
from services.campaign.campaigns.entrypoints.consumers.history import POINTS_EVENTS
from services.campaign.entrypoints.main import build as build_campaign
from services.campaign.settings import CampaignSettings
from services.member.adapters.crypto import MasterKey
from services.member.entrypoints.consumers import SUBSCRIPTION as TIER_EVENTS
from services.member.entrypoints.main import build as build_member
from services.member.settings import MemberSettings
from services.points.entrypoints.main import build as build_points
from services.points.settings import PointsSettings
from tests.e2e.gateway_support import an_order
from tests.integration.bonus_support import active_campaign
from tests.integration.plumbing import consume_from_now
from tests.support.polling import settled
from tests.support.spans import recorded_spans

ACCRUE = "/loyalty.points.v1.PointsService/AccrueOrder"
EVALUATE = "/loyalty.campaign.v1.CampaignService/EvaluateOrder"


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    with recorded_spans() as exporter:
        yield exporter


@pytest.fixture
async def platform(
    mongo_url: str, nats_url: str, redis_url: str, spans: InMemorySpanExporter
) -> AsyncIterator[tuple[Gateway, str]]:
    """Member, campaign and points services and the gateway, in this process; a tenant with
    an earning rule and an active campaign."""
    await consume_from_now(nats_url, TIER_EVENTS, POINTS_EVENTS)
    common: dict[str, Any] = {
        "mongo_url": mongo_url,
        "nats_url": nats_url,
        "redis_url": redis_url,
        "outbox_sweep_seconds": 0.2,
        "shutdown_grace_seconds": 1,
    }
    addr = {name: f"{LOOPBACK}:{free_port()}" for name in ("member", "campaign", "points")}
    tenant = random_name()
    async with AsyncExitStack() as stack:
        for name, settings, build in (
            (
                "member",
                MemberSettings(
                    **common,
                    mongo_db=f"member_{uuid4().hex[:8]}",
                    member_pii_key=MasterKey.generate().to_base64(),
                ),
                build_member,
            ),
            (
                "campaign",
                CampaignSettings(
                    **common,
                    mongo_db=f"campaign_{uuid4().hex[:8]}",
                    points_addr=addr["points"],
                    member_addr=addr["member"],
                ),
                build_campaign,
            ),
            (
                "points",
                PointsSettings(
                    **common,
                    mongo_db=f"points_{uuid4().hex[:8]}",
                    campaign_addr=addr["campaign"],
                    campaign_timeout_ms=5000,
                ),
                build_points,
            ),
        ):
            await stack.enter_async_context(
                started_service(name, settings, build, listen=addr[name])
            )
        points = PointsServiceStub(
            await stack.enter_async_context(aio.insecure_channel(addr["points"]))
        )
        rule = ppb.EarningRule(currency="CNY", points_per_unit="1", expiry_months=24)
        await points.PutEarningRule(ppb.PutEarningRuleRequest(tenant_id=tenant, rule=rule))
        campaigns = CampaignServiceStub(
            await stack.enter_async_context(aio.insecure_channel(addr["campaign"]))
        )
        await active_campaign(campaigns, tenant, points=10)
        gateway_settings = GatewaySettings(
            **{k: v for k, v in common.items() if k != "outbox_sweep_seconds"},
            member_addr=addr["member"],
            points_addr=addr["points"],
            campaign_addr=addr["campaign"],
            mongo_db=f"gateway_{uuid4().hex[:8]}",
            log_format="console",
        )
        gateway = await stack.enter_async_context(running_gateway(gateway_settings))
        yield gateway, tenant


def in_trace(spans: InMemorySpanExporter, trace_id: int) -> list[ReadableSpan]:
    return [s for s in spans.get_finished_spans() if s.context and s.context.trace_id == trace_id]


def one(found: list[ReadableSpan], name: str, kind: SpanKind) -> ReadableSpan:
    matching = [s for s in found if s.name == name and s.kind is kind]
    assert len(matching) == 1, f"{name} ({kind}): {[(s.name, s.kind) for s in found]}"
    return matching[0]


async def test_one_purchase_through_the_gateway_is_one_trace_across_every_process(
    platform: tuple[Gateway, str], spans: InMemorySpanExporter
) -> None:
    gateway, tenant = platform
    pos = await gateway.key(tenant, "pos")
    phone = f"+86139{uuid4().int % 10**8:08d}"
    enrolment = {
        "channel": "pos",
        "store_id": "S001",
        "identities": [{"type": "phone", "value": phone}],
    }
    enrolled = await gateway.client.post("/v1/members", json=enrolment, headers=pos)
    assert enrolled.status_code == 201, enrolled.text
    spans.clear()

    bought = await gateway.client.post(
        "/v1/orders", json=an_order(enrolled.json()["member_id"]), headers=pos
    )
    assert bought.status_code == 201, bought.text
    assert bought.json()["bonus_pending"] is False

    (request,) = [s for s in spans.get_finished_spans() if s.name == "POST /v1/orders"]
    assert request.context is not None
    trace_id = request.context.trace_id
    consumers = {f"consume {TIER_EVENTS.durable}", f"consume {POINTS_EVENTS.durable}"}
    found = await settled(
        lambda: _async(in_trace(spans, trace_id)),
        lambda found: consumers <= {s.name for s in found if s.kind is SpanKind.CONSUMER},
    )

    assert request.kind is SpanKind.SERVER
    one(found, ACCRUE, SpanKind.CLIENT)
    accrue = one(found, ACCRUE, SpanKind.SERVER)
    one(found, EVALUATE, SpanKind.SERVER)
    publish = one(found, "publish points.earned", SpanKind.PRODUCER)
    assert parent_of(publish) == id_of(accrue)
    for consumer in (s for s in found if s.kind is SpanKind.CONSUMER and s.name in consumers):
        assert parent_of(consumer) == id_of(publish)


def parent_of(span: ReadableSpan) -> int:
    assert span.parent is not None, f"{span.name} has no parent"
    return int(span.parent.span_id)


def id_of(span: ReadableSpan) -> int:
    assert span.context is not None
    return int(span.context.span_id)


async def _async(value: list[ReadableSpan]) -> list[ReadableSpan]:
    return value
