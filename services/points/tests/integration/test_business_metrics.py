"""The points service counts orders, points issued and points redeemed per tenant, once
each: a replayed order or a repeated capture counts nothing more."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING
from uuid import uuid4

import httpx

from libs.metrics.process import METRICS
from libs.metrics.server import MetricsServer
from libs.runtime import started_service
from loyalty.points.v1 import points_pb2 as pb
from services.points.entrypoints.main import build
from services.points.tests.integration.conftest import points_settings
from services.points.tests.integration.support import a_hold, an_order
from tests.support.prometheus import parse

if TYPE_CHECKING:
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub


def counted(tenant: str) -> tuple[float, float, float]:
    label = (METRICS.tenant(tenant),)
    return (
        METRICS.orders.value(label),
        METRICS.points_issued.value(label),
        METRICS.points_redeemed.value(label),
    )


async def test_an_order_and_a_capture_count_once_for_their_tenant(
    points_without_timely_campaigns: PointsServiceAsyncStub, tenant: str
) -> None:
    points = points_without_timely_campaigns
    order = an_order(tenant, f"POS-{uuid4().hex}")

    earned = (await points.AccrueOrder(order)).points_earned
    await points.AccrueOrder(order)
    assert counted(tenant) == (1, earned, 0)

    held = (await points.HoldPoints(a_hold(tenant, 50))).redemption
    capture = pb.CaptureRedemptionRequest(tenant_id=tenant, redemption_id=held.redemption_id)
    await points.CaptureRedemption(capture)
    await points.CaptureRedemption(capture)
    await points.HoldPoints(a_hold(tenant, 20, capture=True))

    assert earned > 0
    assert counted(tenant) == (1, earned, 70)


async def test_the_service_serves_its_metrics_on_a_port_of_its_own(
    mongo_url: str, nats_url: str, redis_url: str, slow_campaign_addr: str
) -> None:
    settings = points_settings(mongo_url, nats_url, redis_url, slow_campaign_addr)
    settings = settings.model_copy(update={"metrics_port": 0})
    async with started_service("points", settings, build, listen="127.0.0.1:0") as server:
        metrics = next(w for w in server.spec.workers if isinstance(w, MetricsServer))
        await metrics.started.wait()
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{metrics.port}") as client:
            answer = await client.get("/metrics")

    assert ("outbox_backlog_events", frozenset()) in parse(answer.text)
    assert "# TYPE grpc_server_handled_total counter" in answer.text
    assert "# TYPE loyalty_orders_total counter" in answer.text


async def test_a_reconciliation_records_its_tenants_drift_and_time(
    points_without_timely_campaigns: PointsServiceAsyncStub, tenant: str
) -> None:
    before = time.time()
    await points_without_timely_campaigns.AccrueOrder(an_order(tenant, f"POS-{uuid4().hex}"))
    METRICS.drifting_members.set((METRICS.tenant(tenant),), 99)

    await points_without_timely_campaigns.ReconcilePoints(
        pb.ReconcilePointsRequest(tenant_id=tenant)
    )

    assert METRICS.drifting_members.value((METRICS.tenant(tenant),)) == 0
    assert METRICS.reconciled_at.value((METRICS.tenant(tenant),)) >= before
