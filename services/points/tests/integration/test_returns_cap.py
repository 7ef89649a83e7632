"""A tenant that caps returns at zero, against real servers: the balance stops at zero,
the rest is a shortfall on the return and its event, never a debt."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nats.js import JetStreamContext

from libs.tests.integration.support import messages_on
from loyalty.points.v1 import events_pb2
from loyalty.points.v1 import points_pb2 as pb
from services.points.tests.integration.support import a_hold, an_order, balance_of, ledger_of
from tests.support.polling import eventually

if TYPE_CHECKING:
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub


async def test_a_return_of_spent_points_stops_at_zero_and_records_the_shortfall(
    points: PointsServiceAsyncStub, tenant: str, observer: JetStreamContext
) -> None:
    rule = pb.EarningRule(currency="CNY", points_per_unit="1", return_shortfall="cap_at_zero")
    await points.PutEarningRule(pb.PutEarningRuleRequest(tenant_id=tenant, rule=rule))
    await points.AccrueOrder(an_order(tenant, "O-1"))
    await points.HoldPoints(a_hold(tenant, 300, capture=True))
    returned = pb.ReturnOrderRequest(
        tenant_id=tenant, order_id="O-1", return_id="R-1", amount="398.00"
    )

    first = await points.ReturnOrder(returned)
    again = await points.ReturnOrder(returned)

    assert (first.points_reversed, first.shortfall, first.balance.available) == (98, 300, 0)
    assert (again.replayed, again.shortfall) == (True, 300)
    assert (await balance_of(points, tenant)).available == 0
    reverse = (await ledger_of(points, tenant))[0]
    assert (reverse.type, reverse.points) == ("reverse", -98)
    subject = f"loyalty.{tenant}.points.reversed"

    async def arrived() -> bool:
        return len(await messages_on(observer, subject)) >= 1

    await eventually(arrived)
    [message] = await messages_on(observer, subject)
    event = events_pb2.PointsReversed.FromString(message.data or b"")
    assert (event.points, event.shortfall) == (98, 300)
