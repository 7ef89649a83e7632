"""Returning an order through the handler: reversed in proportion, once per return id."""

from __future__ import annotations

import dataclasses

import pytest

from libs.clock import FakeClock
from libs.errors import InvalidArgument
from services.points.domain.actors import Actor
from services.points.domain.errors import OrderNotFound, ReturnConflict
from services.points.domain.events import PointsReversed
from services.points.handlers.earning import accrue_order
from services.points.handlers.redemptions import HoldPoints, hold_points
from services.points.handlers.returns import ReturnOrder, return_order
from services.points.tests.fakes import FakeCampaigns, FakeUnitOfWork
from services.points.tests.unit.conftest import TENANT
from services.points.tests.unit.test_accrue_order import an_order


async def accrued(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    await accrue_order(an_order(clock), uow, FakeCampaigns(), clock)


async def test_two_returns_of_the_whole_order_reverse_it_once(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await accrued(uow, clock)
    whole = [("SHOE-1", 1), ("SOCK-2", 1)]
    first = await return_order(ReturnOrder(TENANT, "POS-S001-1", "RET-1", whole), uow, clock)
    second = await return_order(ReturnOrder(TENANT, "POS-S001-1", "RET-2", whole), uow, clock)
    assert (first.record.points_reversed, second.record.points_reversed) == (497, 0)
    assert uow.ledger_sum(TENANT, "m1") == 0
    assert [type(e) for e in uow.published[1:]] == [PointsReversed]


async def test_a_retried_return_answers_the_same_and_reverses_nothing_more(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await accrued(uow, clock)
    request = ReturnOrder(TENANT, "POS-S001-1", "RET-1", amount="199.00")
    first = await return_order(request, uow, clock)
    again = await return_order(request, uow, clock)
    assert (first.replayed, again.replayed) == (False, True)
    assert again.record == first.record
    assert first.record.points_reversed == 248
    assert uow.ledger_sum(TENANT, "m1") == 497 - 248
    with pytest.raises(ReturnConflict):
        await return_order(ReturnOrder(TENANT, "POS-S001-1", "RET-1", amount="1.00"), uow, clock)


async def test_a_return_of_an_unknown_order_or_a_malformed_return_changes_nothing(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await accrued(uow, clock)
    with pytest.raises(OrderNotFound):
        await return_order(ReturnOrder(TENANT, "NOPE", "RET-1", amount="1"), uow, clock)
    with pytest.raises(InvalidArgument, match="return_id"):
        await return_order(ReturnOrder(TENANT, "POS-S001-1", "", amount="1"), uow, clock)
    with pytest.raises(InvalidArgument, match="amount"):
        await return_order(ReturnOrder(TENANT, "POS-S001-1", "RET-1", amount="x"), uow, clock)
    assert (uow.state.returns, len(uow.published)) == ({}, 1)


async def test_an_order_of_another_tenant_is_not_found(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await accrued(uow, clock)
    with pytest.raises(OrderNotFound):
        await return_order(ReturnOrder("sandbox", "POS-S001-1", "RET-1", amount="1"), uow, clock)


async def test_a_tenant_that_caps_returns_at_zero_answers_the_shortfall_and_says_so(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    rule = uow.state.rules[TENANT]
    uow.state.rules[TENANT] = dataclasses.replace(rule, return_shortfall="cap_at_zero")
    await accrued(uow, clock)
    await hold_points(HoldPoints(TENANT, "m1", 400, "app", capture=True), uow, clock)
    whole = [("SHOE-1", 1), ("SOCK-2", 1)]
    answer = await return_order(ReturnOrder(TENANT, "POS-S001-1", "RET-1", whole), uow, clock)
    assert (answer.record.points_reversed, answer.record.shortfall) == (97, 400)
    assert (answer.record.balance.available, uow.ledger_sum(TENANT, "m1")) == (0, 0)
    event = uow.published[-1]
    assert isinstance(event, PointsReversed)
    assert (event.points, event.shortfall) == (97, 400)
    again = await return_order(ReturnOrder(TENANT, "POS-S001-1", "RET-1", whole), uow, clock)
    assert (again.replayed, again.record.shortfall) == (True, 400)


async def test_a_return_records_the_channel_store_and_key_that_made_it(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await accrued(uow, clock)
    at_s002 = Actor("pos", "S002", "key_till_2")

    answer = await return_order(
        ReturnOrder(TENANT, "POS-S001-1", "RET-1", amount="99.00", actor=at_s002), uow, clock
    )

    assert answer.record.actor == at_s002
    assert uow.state.returns[(TENANT, "RET-1")].actor == at_s002
