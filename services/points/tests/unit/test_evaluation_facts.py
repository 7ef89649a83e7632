"""What the campaign service is asked with: the tenant's time zone, the member's birth month
and whether this is the member's first order."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from libs.clock import FakeClock
from services.points.adapters.clients import evaluation_request
from services.points.domain.events import PointsEarned
from services.points.handlers.commands import AccrueLine, AccrueOrder
from services.points.handlers.earning import accrue_order
from services.points.tests.fakes import FakeCampaigns, FakeUnitOfWork
from services.points.tests.unit.conftest import TENANT


def an_order(clock: FakeClock, order_id: str) -> AccrueOrder:
    return AccrueOrder(
        tenant_id=TENANT,
        order_id=order_id,
        member_id="m1",
        channel="pos",
        store_id="S001",
        occurred_at=clock.now - timedelta(minutes=1),
        currency="CNY",
        total="100.00",
        lines=[AccrueLine("SHOE-1", "shoes", 1, "100.00")],
        birth_month=11,
    )


async def test_the_first_order_of_a_member_is_asked_as_a_first_purchase_and_the_next_not(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    rule = uow.state.rules[TENANT]
    uow.state.rules[TENANT] = dataclasses.replace(rule, time_zone="Asia/Shanghai")
    campaigns = FakeCampaigns()

    await accrue_order(an_order(clock, "POS-1"), uow, campaigns, clock)
    await accrue_order(an_order(clock, "POS-2"), uow, campaigns, clock)

    first, second = campaigns.asked
    assert (first.first_purchase, second.first_purchase) == (True, False)
    request = evaluation_request(first)
    assert (request.time_zone, request.birth_month, request.first_purchase) == (
        "Asia/Shanghai",
        11,
        True,
    )
    assert evaluation_request(second).first_purchase is False


async def test_the_points_earned_event_carries_the_same_facts_for_a_later_evaluation(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await accrue_order(an_order(clock, "POS-1"), uow, FakeCampaigns(down=True), clock)

    [event] = uow.published
    assert isinstance(event, PointsEarned)
    assert (event.time_zone, event.member.birth_month, event.first_purchase) == ("UTC", 11, True)
