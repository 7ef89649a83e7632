"""GetOrder through the points service: what the real campaign service said of an order
(one campaign applied, one skipped with its reason), or that it did not answer in time."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import grpc
import pytest
from grpc import aio

from libs.ids import new_id
from libs.mongo import Database, Doc
from loyalty.points.v1 import points_pb2 as pb
from services.points.tests.integration.support import CAMPAIGNS, ORDERED_AT, an_order

if TYPE_CHECKING:
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub

# The campaign service answers within 50 ms; a busy machine may miss it now and then.
ATTEMPTS = 5


def a_campaign(tenant: str, campaign_id: str, conditions: Doc, version: int) -> Doc:
    return {
        "_id": campaign_id,
        "tenant_id": tenant,
        "name": campaign_id,
        "trigger": "purchase",
        "status": "active",
        "version": version,
        "starts_at": ORDERED_AT - timedelta(days=1),
        "ends_at": ORDERED_AT + timedelta(days=1),
        "conditions": conditions,
        "effect": {"type": "bonus_points", "points": 50},
    }


async def credited_in_time(points: PointsServiceAsyncStub, tenant: str) -> pb.GetOrderResponse:
    for _ in range(ATTEMPTS):
        order_id = new_id("O")
        await points.AccrueOrder(an_order(tenant, order_id))
        order = await points.GetOrder(pb.GetOrderRequest(tenant_id=tenant, order_id=order_id))
        if not order.bonus_pending:
            return order
    raise AssertionError(f"the campaign service missed the deadline {ATTEMPTS} times")


async def test_an_order_shows_the_campaign_that_applied_and_the_one_skipped_with_its_reason(
    points: PointsServiceAsyncStub, tenant: str, campaign_db: Database
) -> None:
    shoes, big = f"c-shoes-{tenant}", f"c-big-{tenant}"
    await campaign_db[CAMPAIGNS].insert_many(
        [
            a_campaign(tenant, shoes, {"categories": ["shoes"]}, version=2),
            a_campaign(tenant, big, {"min_total": "1000.00"}, version=3),
        ]
    )
    order = await credited_in_time(points, tenant)
    assert [(a.campaign_id, a.campaign_version, a.points, a.kind) for a in order.applied] == [
        (shoes, 2, 50, "points")
    ]
    assert [(s.campaign_id, s.campaign_version, s.reason) for s in order.skipped] == [
        (big, 3, "min_total")
    ]
    assert (order.member_id, order.channel, order.store_id) == ("m1", "pos", "S001")
    assert (order.currency, order.total, order.points_earned) == ("CNY", "398.00", 448)
    assert [(line.sku, line.amount, line.base_points) for line in order.lines] == [
        ("SHOE-1", "299.00", 299),
        ("SOCK-2", "99.00", 99),
    ]
    assert order.occurred_at.ToSeconds() == int(ORDERED_AT.timestamp())


async def test_an_order_the_campaign_service_missed_says_pending_and_lists_nothing_skipped(
    points_without_timely_campaigns: PointsServiceAsyncStub, tenant: str
) -> None:
    points = points_without_timely_campaigns
    await points.AccrueOrder(an_order(tenant, "O-1"))
    await points.ReturnOrder(
        pb.ReturnOrderRequest(tenant_id=tenant, order_id="O-1", return_id="R-1", amount="99.50")
    )
    order = await points.GetOrder(pb.GetOrderRequest(tenant_id=tenant, order_id="O-1"))
    assert order.bonus_pending
    assert (list(order.applied), list(order.skipped)) == ([], [])
    assert [(r.return_id, r.points_reversed) for r in order.returns] == [("R-1", 99)]
    assert (order.points_reversed, order.returned_amount) == (99, "99.50")


async def test_an_unknown_order_or_another_tenants_is_not_found(
    points: PointsServiceAsyncStub, tenant: str
) -> None:
    await points.AccrueOrder(an_order(tenant, "O-1"))
    for asked in (
        pb.GetOrderRequest(tenant_id=tenant, order_id="O-2"),
        pb.GetOrderRequest(tenant_id="sandbox", order_id="O-1"),
    ):
        with pytest.raises(aio.AioRpcError) as caught:
            await points.GetOrder(asked)
        assert caught.value.code() is grpc.StatusCode.NOT_FOUND
