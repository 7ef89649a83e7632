"""The points service's first slice over real MongoDB, through its gRPC API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING
from uuid import uuid4

import grpc
import pytest
from grpc import aio

from libs.grpc.errors import error_code_of
from libs.runtime import started_service
from loyalty.points.v1 import points_pb2 as pb
from loyalty.points.v1.points_pb2_grpc import PointsServiceStub
from services.points.entrypoints.main import build
from services.points.settings import PointsSettings

if TYPE_CHECKING:
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub


@pytest.fixture
async def points(
    mongo_url: str, nats_url: str, redis_url: str
) -> AsyncIterator[PointsServiceAsyncStub]:
    settings = PointsSettings(
        mongo_url=mongo_url,
        nats_url=nats_url,
        redis_url=redis_url,
        mongo_db=f"points_{uuid4().hex[:8]}",
        shutdown_grace_seconds=1,
    )
    async with (
        started_service("points", settings, build, listen="127.0.0.1:0") as server,
        aio.insecure_channel(f"127.0.0.1:{server.port}") as channel,
    ):
        yield PointsServiceStub(channel)


async def test_a_member_with_no_ledger_has_an_empty_balance(points: PointsServiceAsyncStub) -> None:
    answer = await points.GetBalance(pb.GetBalanceRequest(tenant_id="demo", member_id="m_nobody"))
    assert (answer.balance.available, answer.balance.held, answer.balance.lifetime_earned) == (
        0,
        0,
        0,
    )


async def test_an_earning_rule_is_stored_per_tenant_as_a_new_version(
    points: PointsServiceAsyncStub,
) -> None:
    rule = pb.EarningRule(currency="CNY", points_per_unit="1", rounding="floor", expiry_months=24)
    first = await points.PutEarningRule(pb.PutEarningRuleRequest(tenant_id="demo", rule=rule))
    second = await points.PutEarningRule(pb.PutEarningRuleRequest(tenant_id="demo", rule=rule))
    assert (first.rule.version, second.rule.version) == (1, 2)
    read = await points.GetEarningRule(pb.GetEarningRuleRequest(tenant_id="demo"))
    assert read.rule.points_per_unit == "1"
    with pytest.raises(aio.AioRpcError) as caught:
        await points.GetEarningRule(pb.GetEarningRuleRequest(tenant_id="sandbox"))
    assert caught.value.code() is grpc.StatusCode.NOT_FOUND
    assert error_code_of(caught.value) == "earning_rule_not_found"


async def test_a_malformed_earning_rule_is_refused_and_changes_nothing(
    points: PointsServiceAsyncStub,
) -> None:
    good = pb.EarningRule(currency="CNY", points_per_unit="2")
    await points.PutEarningRule(pb.PutEarningRuleRequest(tenant_id="demo", rule=good))
    bad = pb.EarningRule(currency="CNY", points_per_unit="two")
    with pytest.raises(aio.AioRpcError) as caught:
        await points.PutEarningRule(pb.PutEarningRuleRequest(tenant_id="demo", rule=bad))
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    read = await points.GetEarningRule(pb.GetEarningRuleRequest(tenant_id="demo"))
    assert (read.rule.points_per_unit, read.rule.version) == ("2", 1)
