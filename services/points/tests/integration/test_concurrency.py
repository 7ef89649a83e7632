"""Exactness under concurrency, against real servers: no double credit, no double spend."""

from __future__ import annotations

import asyncio
import random
from typing import TYPE_CHECKING

import grpc
import pytest
from grpc import aio

from libs.grpc.errors import error_code_of
from loyalty.points.v1 import points_pb2 as pb
from services.points.tests.integration.support import (
    a_cancel,
    a_hold,
    an_order,
    balance_of,
    ledger_of,
    refusal,
)

if TYPE_CHECKING:
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub


async def test_fifty_concurrent_holds_where_ten_fit_give_exactly_ten(
    points: PointsServiceAsyncStub, tenant: str
) -> None:
    await points.AccrueOrder(an_order(tenant, "O-100", total="100.00", lines=()))
    answers = await asyncio.gather(
        *(points.HoldPoints(a_hold(tenant, 10)) for _ in range(50)), return_exceptions=True
    )
    held = [a for a in answers if isinstance(a, pb.HoldPointsResponse)]
    refused = [refusal(a) for a in answers if isinstance(a, BaseException)]
    assert len(held) == 10
    assert refused == ["insufficient_points"] * 40
    balance = await balance_of(points, tenant)
    assert (balance.available, balance.held) == (0, 100)


async def test_a_retried_and_a_concurrently_duplicated_order_credit_once(
    points: PointsServiceAsyncStub, tenant: str
) -> None:
    order = an_order(tenant, "POS-S001-000123")
    tills = await asyncio.gather(*(points.AccrueOrder(order) for _ in range(8)))
    retried = await points.AccrueOrder(order)
    assert sum(not a.replayed for a in tills) == 1
    assert retried.replayed
    first = next(a for a in tills if not a.replayed)
    assert {a.points_earned for a in [*tills, retried]} == {398}
    assert {a.balance.available for a in [*tills, retried]} == {first.balance.available}
    assert (await balance_of(points, tenant)).available == 398
    assert [e.points for e in await ledger_of(points, tenant)] == [398]


async def test_the_same_order_id_with_another_body_is_an_order_conflict(
    points: PointsServiceAsyncStub, tenant: str
) -> None:
    await points.AccrueOrder(an_order(tenant, "O-1"))
    with pytest.raises(aio.AioRpcError) as caught:
        await points.AccrueOrder(an_order(tenant, "O-1", total="397.00"))
    assert caught.value.code() is grpc.StatusCode.ABORTED
    assert error_code_of(caught.value) == "order_conflict"
    assert (await balance_of(points, tenant)).available == 398


async def test_two_returns_of_the_whole_order_reverse_it_once(
    points: PointsServiceAsyncStub, tenant: str
) -> None:
    await points.AccrueOrder(an_order(tenant, "O-1", multiplier="1.5"))
    whole = [pb.ReturnLine(sku="SHOE-1", quantity=1), pb.ReturnLine(sku="SOCK-2", quantity=1)]
    answers = await asyncio.gather(
        *(
            points.ReturnOrder(
                pb.ReturnOrderRequest(tenant_id=tenant, order_id="O-1", return_id=rid, lines=whole)
            )
            for rid in ("RET-1", "RET-2")
        )
    )
    assert sorted(a.points_reversed for a in answers) == [0, 597]
    again = await points.ReturnOrder(
        pb.ReturnOrderRequest(tenant_id=tenant, order_id="O-1", return_id="RET-1", lines=whole)
    )
    assert again.replayed
    assert (await balance_of(points, tenant)).available == 0
    reverses = [e for e in await ledger_of(points, tenant) if e.type == "reverse"]
    assert [(e.points, e.reason) for e in reverses] == [
        (-597, "returned 1 \N{MULTIPLICATION SIGN} SHOE-1, 1 \N{MULTIPLICATION SIGN} SOCK-2")
    ]


async def shopper(points: PointsServiceAsyncStub, tenant: str, member_id: str) -> None:
    """Earn, hold, capture, cancel and return in a random order, tolerating refusals."""
    rng = random.Random(member_id)
    redemptions: list[str] = []
    for step in range(12):
        action = rng.choice(["earn", "earn", "hold", "capture", "cancel", "return"])
        try:
            if action == "earn":
                order = an_order(tenant, f"{member_id}-O{step}", member_id, multiplier="1.25")
                await points.AccrueOrder(order)
            elif action == "hold":
                hold = a_hold(tenant, rng.randint(1, 300), member_id, capture=rng.random() < 0.3)
                redemptions.append((await points.HoldPoints(hold)).redemption.redemption_id)
            elif action == "capture" and redemptions:
                rid = rng.choice(redemptions)
                await points.CaptureRedemption(
                    pb.CaptureRedemptionRequest(tenant_id=tenant, redemption_id=rid)
                )
            elif action == "cancel" and redemptions:
                rid = rng.choice(redemptions)
                await points.CancelRedemption(a_cancel(tenant, rid))
            elif action == "return":
                await points.ReturnOrder(
                    pb.ReturnOrderRequest(
                        tenant_id=tenant,
                        order_id=f"{member_id}-O{rng.randint(0, step)}",
                        return_id=f"{member_id}-R{step}",
                        amount=str(rng.randint(1, 398)),
                    )
                )
        except aio.AioRpcError as exc:
            if exc.code() not in (grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.NOT_FOUND):
                raise


async def test_the_ledger_sums_to_available_plus_held_after_a_mixed_concurrent_load(
    points: PointsServiceAsyncStub, tenant: str
) -> None:
    members = [f"m{n}" for n in range(4)]
    await asyncio.gather(*(shopper(points, tenant, m) for m in members for _ in range(3)))
    for member_id in members:
        balance = await balance_of(points, tenant, member_id)
        entries = await ledger_of(points, tenant, member_id)
        assert balance.available + balance.held == sum(e.points for e in entries)
        assert len({e.entry_id for e in entries}) == len(entries)
