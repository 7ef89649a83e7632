"""GrantPoints against real servers: once per grant key whatever the concurrency, attached
to its order so a return takes it back, points.granted published, no drift."""

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
from services.points.tests.integration.support import an_order, balance_of, ledger_of
from tests.support.polling import eventually

if TYPE_CHECKING:
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub


def a_grant(
    tenant: str, points: int = 300, *, key: str = "c-shoes:2:O-1", order_id: str = ""
) -> pb.GrantPointsRequest:
    return pb.GrantPointsRequest(
        tenant_id=tenant,
        member_id="m1",
        grant_key=key,
        points=points,
        campaign_id="c-shoes",
        campaign_version=2,
        reason="Double points on shoes (v2)",
        order_id=order_id,
    )


async def test_a_grant_sent_six_times_at_once_credits_once_and_says_so_once(
    points: PointsServiceAsyncStub, tenant: str, observer: JetStreamContext
) -> None:
    answers = await asyncio.gather(*(points.GrantPoints(a_grant(tenant)) for _ in range(6)))

    assert sum(not a.replayed for a in answers) == 1
    assert {(a.balance.available, a.balance.lifetime_earned) for a in answers} == {(300, 300)}
    [entry] = await ledger_of(points, tenant)
    assert (entry.type, entry.points, entry.campaign_id) == ("bonus", 300, "c-shoes")
    subject = f"loyalty.{tenant}.points.granted"

    async def arrived() -> bool:
        return len(await messages_on(observer, subject)) >= 1

    await eventually(arrived)
    [message] = await messages_on(observer, subject)
    event = events_pb2.PointsGranted.FromString(message.data or b"")
    assert (event.grant_key, event.points, event.entry_id) == (
        "c-shoes:2:O-1",
        300,
        entry.entry_id,
    )


async def test_a_conflicting_or_empty_grant_is_refused_with_its_code(
    points: PointsServiceAsyncStub, tenant: str
) -> None:
    await points.GrantPoints(a_grant(tenant))

    with pytest.raises(aio.AioRpcError) as conflict:
        await points.GrantPoints(a_grant(tenant, 301))
    with pytest.raises(aio.AioRpcError) as empty:
        await points.GrantPoints(a_grant(tenant, 0, key="c-shoes:2:O-2"))
    with pytest.raises(aio.AioRpcError) as unknown_order:
        await points.GrantPoints(a_grant(tenant, key="c-shoes:2:O-404", order_id="O-404"))

    assert (conflict.value.code(), error_code_of(conflict.value)) == (
        grpc.StatusCode.ABORTED,
        "grant_conflict",
    )
    assert empty.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert error_code_of(unknown_order.value) == "order_not_found"
    assert (await balance_of(points, tenant)).available == 300


async def test_a_grant_for_an_order_is_taken_back_by_its_return_and_nothing_drifts(
    points: PointsServiceAsyncStub, tenant: str
) -> None:
    await points.AccrueOrder(an_order(tenant, "O-1"))
    await points.GrantPoints(a_grant(tenant, order_id="O-1"))

    returned = await points.ReturnOrder(
        pb.ReturnOrderRequest(tenant_id=tenant, order_id="O-1", return_id="R-1", amount="398.00")
    )

    assert returned.points_reversed == 398 + 300
    assert (await balance_of(points, tenant)).available == 0
    assert sum(e.points for e in await ledger_of(points, tenant)) == 0
    drift = await points.ReconcilePoints(pb.ReconcilePointsRequest(tenant_id=tenant))
    assert list(drift.drifting) == []


async def test_a_grants_reason_code_and_parameters_are_kept_on_its_ledger_entry(
    points: PointsServiceAsyncStub, tenant: str
) -> None:
    grant = a_grant(tenant)
    grant.reason_code = "campaign_bonus"
    params = {"campaign_id": "c-shoes", "version": "2", "name.zh-CN": "鞋"}
    grant.reason_params.update(params)
    await points.GrantPoints(grant)

    [entry] = await ledger_of(points, tenant)
    assert entry.reason == "Double points on shoes (v2)"
    assert entry.reason_code == "campaign_bonus"
    assert dict(entry.reason_params) == {
        "campaign_id": "c-shoes",
        "version": "2",
        "name.zh-CN": "鞋",
    }
