"""What read models learn from the points events: a return's store, channel and what came
back in money, and every lot's expiry, also beyond the 30 days `expiring` shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nats.js import JetStreamContext

from libs.tests.integration.support import messages_on
from loyalty.points.v1 import events_pb2
from loyalty.points.v1 import points_pb2 as pb
from services.points.tests.integration.support import an_order
from tests.support.polling import settled

if TYPE_CHECKING:
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub


async def test_a_return_event_names_its_store_and_channel_and_what_came_back(
    points: PointsServiceAsyncStub, tenant: str, observer: JetStreamContext
) -> None:
    await points.AccrueOrder(an_order(tenant, "O-1"))
    await points.ReturnOrder(
        pb.ReturnOrderRequest(
            tenant_id=tenant,
            order_id="O-1",
            return_id="R-1",
            lines=[pb.ReturnLine(sku="SOCK-2", quantity=1)],
            actor=pb.Actor(channel="pos", store_id="S002"),
        )
    )

    found = await settled(
        lambda: messages_on(observer, f"loyalty.{tenant}.points.reversed"), lambda m: len(m) == 1
    )

    returned = events_pb2.PointsReversed.FromString(found[0].data or b"")
    assert (returned.channel, returned.store_id) == ("pos", "S002")
    assert (returned.currency, returned.amount) == ("CNY", "99.00")
    assert [(x.sku, x.category, x.quantity, x.amount) for x in returned.lines] == [
        ("SOCK-2", "accessories", 1, "99.00")
    ]


async def test_events_carry_every_lot_even_one_expiring_in_two_years(
    points: PointsServiceAsyncStub, tenant: str, observer: JetStreamContext
) -> None:
    await points.AccrueOrder(an_order(tenant, "O-1"))

    found = await settled(
        lambda: messages_on(observer, f"loyalty.{tenant}.points.earned"), lambda m: len(m) == 1
    )

    earned = events_pb2.PointsEarned.FromString(found[0].data or b"")
    assert list(earned.balance.expiring) == []  # nothing within 30 days
    assert [lot.points for lot in earned.balance.lots] == [398]
    assert earned.balance.lots[0].expires_at == earned.lot_expires_at
