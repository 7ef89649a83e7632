"""Transfers against real servers: exact under concurrency, within the daily limit."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

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


async def allow_transfers(points: PointsServiceAsyncStub, tenant: str, limit: int) -> None:
    rule = pb.EarningRule(
        currency="CNY",
        points_per_unit="1",
        expiry_months=24,
        transfer_limit_per_day=limit,
        time_zone="Asia/Shanghai",
    )
    await points.PutEarningRule(pb.PutEarningRuleRequest(tenant_id=tenant, rule=rule))


async def credited(points: PointsServiceAsyncStub, tenant: str, member_id: str, n: int) -> None:
    await points.AdjustPoints(
        pb.AdjustPointsRequest(
            tenant_id=tenant,
            member_id=member_id,
            adjustment_id=f"seed-{member_id}",
            points=n,
            reason="seed",
        )
    )


def a_transfer(
    tenant: str, transfer_id: str, sender: str, receiver: str, n: int
) -> pb.TransferPointsRequest:
    return pb.TransferPointsRequest(
        tenant_id=tenant,
        transfer_id=transfer_id,
        from_member_id=sender,
        to_member_id=receiver,
        points=n,
        reason="gift",
        actor="key:k1",
    )


async def test_opposite_transfers_racing_between_two_members_lose_and_make_no_point(
    points: PointsServiceAsyncStub, tenant: str
) -> None:
    await allow_transfers(points, tenant, 10_000)
    await credited(points, tenant, "a", 1000)
    await credited(points, tenant, "b", 1000)
    answers = await asyncio.gather(
        *(points.TransferPoints(a_transfer(tenant, f"ab-{n}", "a", "b", 10)) for n in range(15)),
        *(points.TransferPoints(a_transfer(tenant, f"ba-{n}", "b", "a", 20)) for n in range(15)),
    )
    assert not any(a.replayed for a in answers)
    balances = [await balance_of(points, tenant, m) for m in ("a", "b")]
    assert [b.available for b in balances] == [1150, 850]
    for member_id, balance in zip(("a", "b"), balances, strict=True):
        assert (
            sum(e.points for e in await ledger_of(points, tenant, member_id)) == balance.available
        )


async def test_concurrent_transfers_stop_exactly_at_the_daily_limit(
    points: PointsServiceAsyncStub, tenant: str, observer: JetStreamContext
) -> None:
    await allow_transfers(points, tenant, 500)
    await credited(points, tenant, "a", 2000)
    answers = await asyncio.gather(
        *(
            points.TransferPoints(a_transfer(tenant, f"t-{n}", "a", f"r{n}", 100))
            for n in range(10)
        ),
        return_exceptions=True,
    )
    moved = [a for a in answers if isinstance(a, pb.TransferPointsResponse)]
    refused = [error_code_of(a) for a in answers if isinstance(a, aio.AioRpcError)]
    assert (len(moved), refused) == (5, ["transfer_limit_exceeded"] * 5)
    assert (await balance_of(points, tenant, "a")).available == 1500
    subject = f"loyalty.{tenant}.points.transferred"

    async def arrived() -> bool:
        return len(await messages_on(observer, subject)) >= 5

    await eventually(arrived)
    events = [
        events_pb2.PointsTransferred.FromString(m.data or b"")
        for m in await messages_on(observer, subject)
    ]
    assert sorted(e.transfer_id for e in events) == sorted(a.transfer.transfer_id for a in moved)
    assert {(e.member_id, e.points) for e in events} == {("a", 100)}
