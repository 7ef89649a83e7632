"""Earning through the points service with the real campaign service, or a slow one."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import TYPE_CHECKING

import grpc
import pytest
from grpc import aio

from libs.mongo import Database
from loyalty.points.v1 import points_pb2 as pb
from services.points.tests.integration.support import (
    CAMPAIGNS,
    ORDERED_AT,
    an_order,
    balance_of,
    ledger_of,
)

if TYPE_CHECKING:
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub


async def test_an_active_campaign_adds_its_bonus_as_a_bonus_entry(
    points: PointsServiceAsyncStub, tenant: str, campaign_db: Database
) -> None:
    await campaign_db[CAMPAIGNS].insert_one(
        {
            "_id": "c-shoes",
            "tenant_id": tenant,
            "name": "Double points on shoes",
            "trigger": "purchase",
            "status": "active",
            "version": 2,
            "starts_at": ORDERED_AT - timedelta(days=1),
            "ends_at": ORDERED_AT + timedelta(days=1),
            "conditions": {"categories": ["shoes"]},
            "effect": {"type": "multiplier", "factor": 2},
        }
    )
    answer = await points.AccrueOrder(an_order(tenant, "O-1", multiplier="1.25"))
    assert [(line.source, line.points) for line in answer.breakdown] == [
        ("base", 398),
        ("tier", 99),
        ("campaign", 299),
    ]
    assert (answer.points_earned, answer.bonus_pending) == (796, False)
    newest_first = await ledger_of(points, tenant)
    assert [(e.type, e.points, e.reason, e.campaign_id) for e in reversed(newest_first)] == [
        ("earn", 398, "1 point per CNY 1 at store S001", ""),
        ("earn", 99, "Gold tier \N{MULTIPLICATION SIGN}1.25", ""),
        ("bonus", 299, "Double points on shoes (v2)", "c-shoes"),
    ]


async def test_a_campaign_service_that_does_not_answer_in_time_leaves_the_bonus_pending(
    points_without_timely_campaigns: PointsServiceAsyncStub, tenant: str
) -> None:
    points = points_without_timely_campaigns
    started = time.monotonic()
    answer = await points.AccrueOrder(an_order(tenant, "O-1", multiplier="1.5"))
    assert time.monotonic() - started < 1.0
    assert (answer.points_earned, answer.bonus_pending) == (597, True)
    assert [line.source for line in answer.breakdown] == ["base", "tier"]
    assert (await balance_of(points, tenant)).available == 597


async def test_a_malformed_order_is_invalid_naming_the_field_and_credits_nothing(
    points: PointsServiceAsyncStub, tenant: str
) -> None:
    bad = an_order(tenant, "O-1")
    bad.lines[1].unit_price = "ninety-nine"
    with pytest.raises(aio.AioRpcError) as caught:
        await points.AccrueOrder(bad)
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert (caught.value.details() or "").startswith("lines[1].unit_price:")
    assert await ledger_of(points, tenant) == []
    retried = await points.AccrueOrder(an_order(tenant, "O-1"))
    assert not retried.replayed


async def test_the_balance_shows_lifetime_earned_and_what_expires_soon(
    points: PointsServiceAsyncStub, tenant: str
) -> None:
    await points.AccrueOrder(an_order(tenant, "O-1"))
    await points.HoldPoints(
        pb.HoldPointsRequest(
            tenant_id=tenant, member_id="m1", points=98, channel="app", capture=True
        )
    )
    balance = await balance_of(points, tenant)
    assert (balance.available, balance.held, balance.lifetime_earned) == (300, 0, 398)
    assert list(balance.expiring) == []
    other = await balance_of(points, "sandbox")
    assert (other.available, other.lifetime_earned) == (0, 0)


async def test_with_a_pending_period_earned_points_show_as_pending_and_cannot_be_spent(
    points: PointsServiceAsyncStub, tenant: str
) -> None:
    rule = pb.EarningRule(currency="CNY", points_per_unit="1", pending_days=14)
    await points.PutEarningRule(pb.PutEarningRuleRequest(tenant_id=tenant, rule=rule))
    answer = await points.AccrueOrder(an_order(tenant, "O-1"))
    assert (answer.points_earned, answer.balance.available, answer.balance.pending) == (398, 0, 398)
    assert await ledger_of(points, tenant) == []
    with pytest.raises(aio.AioRpcError) as caught:
        await points.HoldPoints(
            pb.HoldPointsRequest(tenant_id=tenant, member_id="m1", points=1, channel="app")
        )
    assert caught.value.code() is grpc.StatusCode.FAILED_PRECONDITION
