"""A member's orders (with their returns) and redemptions, newest first, page by page."""

from __future__ import annotations

import dataclasses

import pytest

from libs.clock import FakeClock
from libs.errors import InvalidArgument
from services.points.handlers.earning import accrue_order
from services.points.handlers.member_history import member_orders, member_redemptions
from services.points.handlers.redemptions import HoldPoints, hold_points
from services.points.handlers.returns import ReturnOrder, return_order
from services.points.tests.fakes import FakeCampaigns, FakeUnitOfWork
from services.points.tests.unit.conftest import TENANT
from services.points.tests.unit.test_accrue_order import an_order


async def five_orders(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    for n in range(5):
        store = "S002" if n == 3 else "S001"
        order = dataclasses.replace(an_order(clock, order_id=f"O-{n}"), store_id=store)
        await accrue_order(order, uow, FakeCampaigns(), clock)
        clock.advance(minutes=1)


async def test_a_members_orders_page_newest_first_with_their_returns(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await five_orders(uow, clock)
    await return_order(ReturnOrder(TENANT, "O-1", "R-1", amount="100.00"), uow, clock)
    seen, cursor, pages = [], "", 0
    while True:
        page = await member_orders(TENANT, "m1", 2, cursor, uow=uow)
        seen += page.orders
        pages += 1
        cursor = page.next_cursor
        if not cursor:
            break
    assert [v.order.order_id for v in seen] == ["O-4", "O-3", "O-2", "O-1", "O-0"]
    assert pages == 3
    assert [r.return_id for r in seen[3].returns] == ["R-1"]
    assert all(not v.returns for v in (*seen[:3], seen[4]))


async def test_a_store_managers_list_holds_the_orders_of_their_stores_only(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await five_orders(uow, clock)
    theirs = await member_orders(TENANT, "m1", 0, "", uow=uow, store_ids=frozenset({"S002"}))
    assert [v.order.order_id for v in theirs.orders] == ["O-3"]
    assert theirs.next_cursor == ""


async def test_a_members_redemptions_of_every_status_page_newest_first(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await five_orders(uow, clock)
    made = []
    for points, capture in ((10, True), (20, False), (30, True)):
        held = await hold_points(
            HoldPoints(TENANT, "m1", points, "app", capture=capture), uow, clock
        )
        made.append(held.redemption.redemption_id)
        clock.advance(seconds=1)
    first = await member_redemptions(TENANT, "m1", 2, "", uow=uow)
    rest = await member_redemptions(TENANT, "m1", 2, first.next_cursor, uow=uow)
    others = await member_redemptions(TENANT, "m2", 0, "", uow=uow)
    assert [r.points for r in first.redemptions] == [30, 20]
    assert [r.status.value for r in first.redemptions] == ["captured", "held"]
    assert [r.redemption_id for r in rest.redemptions] == made[:1]
    assert rest.next_cursor == ""
    assert others.redemptions == []


async def test_a_cursor_or_limit_the_list_did_not_give_is_refused(uow: FakeUnitOfWork) -> None:
    with pytest.raises(InvalidArgument, match="cursor"):
        await member_orders(TENANT, "m1", 10, "not-a-cursor", uow=uow)
    with pytest.raises(InvalidArgument, match="limit"):
        await member_redemptions(TENANT, "m1", 1000, "", uow=uow)
