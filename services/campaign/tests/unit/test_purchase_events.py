"""Reading points.earned into the settlement of a purchase's campaign holds."""

from __future__ import annotations

from loyalty.common.v1.common_pb2 import EventMeta
from loyalty.points.v1 import events_pb2
from loyalty.points.v1 import points_pb2 as ppb
from services.campaign.campaigns.entrypoints.consumers.purchases import settle_command


def test_the_holds_to_confirm_are_the_campaign_lines_and_the_coupon_campaigns() -> None:
    event = events_pb2.PointsEarned(
        meta=EventMeta(event_id="ev-1", tenant_id="demo"),
        member_id="m1",
        order_id="POS-1",
        currency="CNY",
        total="398.00",
        breakdown=[
            ppb.EarningLine(source="base", points=398),
            ppb.EarningLine(source="tier", points=99),
            ppb.EarningLine(source="campaign", points=299, campaign_id="c-shoes"),
        ],
        coupon_campaign_ids=["c-coupon"],
    )

    command = settle_command(event.SerializeToString())

    assert command.credited_campaigns == ("c-shoes", "c-coupon")
    assert (command.event_id, command.order.order_id, command.bonus_pending) == (
        "ev-1",
        "POS-1",
        False,
    )
