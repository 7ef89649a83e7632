"""Operator adjustments against real servers: once per id, whatever the concurrency."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import grpc
import pytest
from grpc import aio
from nats.js import JetStreamContext

from libs.grpc.errors import error_code_of
from libs.tests.integration.support import messages_on
from loyalty.points.v1 import events_pb2
from loyalty.points.v1 import points_pb2 as pb
from services.points.tests.integration.support import balance_of, ledger_of
from tests.support.polling import eventually

if TYPE_CHECKING:
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub


def an_adjustment(
    tenant: str, points: int, adjustment_id: str = "ADJ-1", member_id: str = "m1"
) -> pb.AdjustPointsRequest:
    return pb.AdjustPointsRequest(
        tenant_id=tenant,
        member_id=member_id,
        adjustment_id=adjustment_id,
        points=points,
        reason="parcel lost in transit",
        actor="key:k1",
    )


async def test_an_adjustment_sent_eight_times_at_once_applies_once_and_says_so_once(
    points: PointsServiceAsyncStub, tenant: str, observer: JetStreamContext
) -> None:
    answers = await asyncio.gather(
        *(points.AdjustPoints(an_adjustment(tenant, 150)) for _ in range(8))
    )
    assert sum(not a.replayed for a in answers) == 1
    assert {a.balance.available for a in answers} == {150}
    [entry] = await ledger_of(points, tenant)
    assert (entry.type, entry.points, entry.adjustment_id) == ("adjust", 150, "ADJ-1")
    assert entry.reason == "adjusted by an operator: parcel lost in transit"
    subject = f"loyalty.{tenant}.points.adjusted"

    async def arrived() -> bool:
        return len(await messages_on(observer, subject)) >= 1

    await eventually(arrived)
    [message] = await messages_on(observer, subject)
    event = events_pb2.PointsAdjusted.FromString(message.data or b"")
    assert b"parcel lost in transit" not in (message.data or b"")  # free text stays home
    assert (event.member_id, event.points, event.actor, event.entry_id) == (
        "m1",
        150,
        "key:k1",
        entry.entry_id,
    )


async def test_a_debit_beyond_available_is_refused_and_changes_nothing(
    points: PointsServiceAsyncStub, tenant: str
) -> None:
    await points.AdjustPoints(an_adjustment(tenant, 100))
    with pytest.raises(aio.AioRpcError) as caught:
        await points.AdjustPoints(an_adjustment(tenant, -101, "ADJ-2"))
    assert caught.value.code() is grpc.StatusCode.FAILED_PRECONDITION
    assert error_code_of(caught.value) == "insufficient_points"
    assert (await balance_of(points, tenant)).available == 100
    with pytest.raises(aio.AioRpcError) as conflict:
        await points.AdjustPoints(an_adjustment(tenant, 99))
    assert error_code_of(conflict.value) == "adjustment_conflict"


async def test_concurrent_debits_never_take_available_below_zero(
    points: PointsServiceAsyncStub, tenant: str
) -> None:
    await points.AdjustPoints(an_adjustment(tenant, 100))
    answers = await asyncio.gather(
        *(points.AdjustPoints(an_adjustment(tenant, -30, f"D-{n}")) for n in range(10)),
        return_exceptions=True,
    )
    applied = [a for a in answers if isinstance(a, pb.AdjustPointsResponse)]
    refused = [error_code_of(a) for a in answers if isinstance(a, aio.AioRpcError)]
    assert (len(applied), refused) == (3, ["insufficient_points"] * 7)
    assert (await balance_of(points, tenant)).available == 10
    assert sum(e.points for e in await ledger_of(points, tenant)) == 10


async def test_a_tenant_that_allows_debt_may_debit_below_zero(
    points: PointsServiceAsyncStub, tenant: str
) -> None:
    rule = pb.EarningRule(currency="CNY", points_per_unit="1", allow_adjustment_debt=True)
    stored = await points.PutEarningRule(pb.PutEarningRuleRequest(tenant_id=tenant, rule=rule))
    assert stored.rule.allow_adjustment_debt
    answer = await points.AdjustPoints(an_adjustment(tenant, -40))
    assert answer.balance.available == -40
