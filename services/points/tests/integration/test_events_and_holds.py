"""Events land in the stream once per ledger change; holds run out by themselves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nats.js import JetStreamContext

from libs.tests.integration.support import ids_of, messages_on
from loyalty.points.v1 import events_pb2
from loyalty.points.v1 import points_pb2 as pb
from services.points.tests.integration.support import (
    a_cancel,
    a_hold,
    an_order,
    balance_of,
    ledger_of,
)
from tests.support.polling import eventually

if TYPE_CHECKING:
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub


async def test_each_ledger_change_publishes_its_event_exactly_once(
    points: PointsServiceAsyncStub, tenant: str, observer: JetStreamContext
) -> None:
    order = an_order(tenant, "O-1")
    await points.AccrueOrder(order)
    await points.AccrueOrder(order)  # a retry changes nothing, so it says nothing
    captured = await points.HoldPoints(a_hold(tenant, 50, capture=True))
    rid = captured.redemption.redemption_id
    await points.CancelRedemption(a_cancel(tenant, rid))
    held = await points.HoldPoints(a_hold(tenant, 20))
    hid = held.redemption.redemption_id
    await points.CaptureRedemption(pb.CaptureRedemptionRequest(tenant_id=tenant, redemption_id=hid))
    await points.CaptureRedemption(pb.CaptureRedemptionRequest(tenant_id=tenant, redemption_id=hid))
    await points.ReturnOrder(
        pb.ReturnOrderRequest(tenant_id=tenant, order_id="O-1", return_id="R-1", amount="99.00")
    )
    subject = f"loyalty.{tenant}.points.>"

    async def all_arrived() -> bool:
        return len(await messages_on(observer, subject)) >= 6

    await eventually(all_arrived)
    messages = await messages_on(observer, subject)
    assert [(m.subject or "").rsplit(".", 1)[1] for m in messages] == [
        "earned",
        "redeemed",
        "released",
        "held",
        "redeemed",
        "reversed",
    ]
    assert len(set(ids_of(messages))) == 6
    earned = events_pb2.PointsEarned.FromString(messages[0].data or b"")
    released = events_pb2.PointsReleased.FromString(messages[2].data or b"")
    held_ = events_pb2.PointsHeld.FromString(messages[3].data or b"")
    reversed_ = events_pb2.PointsReversed.FromString(messages[5].data or b"")
    assert (held_.points, held_.balance.held) == (20, 20)
    assert (earned.order_id, earned.points, earned.meta.event_id) == (
        "O-1",
        398,
        ids_of(messages)[0],
    )
    assert (released.status, released.points) == ("reversed", 50)
    assert (reversed_.return_id, reversed_.points) == ("R-1", 99)
    entry_ids = {e.entry_id for e in await ledger_of(points, tenant)}
    named = [*earned.entry_ids, released.entry_id, reversed_.entry_id]
    assert set(named) <= entry_ids


async def test_a_hold_not_captured_in_time_is_released_by_the_platform(
    points: PointsServiceAsyncStub, tenant: str, observer: JetStreamContext
) -> None:
    await points.AccrueOrder(an_order(tenant, "O-1"))
    await points.HoldPoints(a_hold(tenant, 100, hold_seconds=1))
    assert (await balance_of(points, tenant)).held == 100

    async def released() -> bool:
        return (await balance_of(points, tenant)).held == 0

    await eventually(released, within=10)
    assert (await balance_of(points, tenant)).available == 398
    subject = f"loyalty.{tenant}.points.released"

    async def announced() -> bool:
        return len(await messages_on(observer, subject)) == 1

    await eventually(announced)
    [message] = await messages_on(observer, subject)
    assert events_pb2.PointsReleased.FromString(message.data or b"").status == "expired"
