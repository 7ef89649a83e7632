"""The points service's first slice over real MongoDB, through its gRPC API."""

from __future__ import annotations

from typing import TYPE_CHECKING

import grpc
import pytest
from grpc import aio

from libs.grpc.errors import error_code_of
from loyalty.points.v1 import points_pb2 as pb

if TYPE_CHECKING:
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub


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
