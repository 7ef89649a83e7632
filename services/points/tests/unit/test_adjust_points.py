"""Adjusting points through the handler: once per adjustment id, with its event."""

from __future__ import annotations

import dataclasses

import pytest

from libs.clock import FakeClock
from services.points.domain.errors import AdjustmentConflict, InsufficientPoints, NoEarningRule
from services.points.domain.events import PointsAdjusted
from services.points.handlers.adjustments import AdjustPoints, adjust_points
from services.points.tests.fakes import FakeUnitOfWork
from services.points.tests.unit.conftest import TENANT


def an_adjustment(
    points: int, adjustment_id: str = "ADJ-1", reason: str = "goodwill"
) -> AdjustPoints:
    return AdjustPoints(TENANT, adjustment_id, "m1", points, reason, actor="key:k1")


async def test_an_adjustment_is_applied_once_and_publishes_points_adjusted(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    first = await adjust_points(an_adjustment(120), uow, clock)
    again = await adjust_points(an_adjustment(120), uow, clock)
    assert (first.replayed, again.replayed) == (False, True)
    assert again.record == first.record
    assert (first.record.balance.available, uow.ledger_sum(TENANT, "m1")) == (120, 120)
    [event] = uow.published
    assert isinstance(event, PointsAdjusted)
    assert (event.points, event.actor, event.entry_id) == (120, "key:k1", first.record.entry_id)


async def test_the_same_adjustment_id_with_another_body_is_a_conflict(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await adjust_points(an_adjustment(120), uow, clock)
    with pytest.raises(AdjustmentConflict):
        await adjust_points(an_adjustment(121), uow, clock)
    with pytest.raises(AdjustmentConflict):
        await adjust_points(an_adjustment(120, reason="other"), uow, clock)
    assert uow.ledger_sum(TENANT, "m1") == 120


async def test_a_refused_debit_changes_nothing_and_can_be_made_later_under_its_id(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await adjust_points(an_adjustment(50), uow, clock)
    with pytest.raises(InsufficientPoints):
        await adjust_points(an_adjustment(-80, "ADJ-2"), uow, clock)
    assert (len(uow.published), uow.state.wallets[(TENANT, "m1")].available) == (1, 50)
    await adjust_points(an_adjustment(40, "ADJ-3"), uow, clock)
    debited = await adjust_points(an_adjustment(-80, "ADJ-2"), uow, clock)
    assert debited.record.balance.available == 10


async def test_a_tenant_that_allows_debt_may_debit_below_zero(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    rule = uow.state.rules[TENANT]
    uow.state.rules[TENANT] = dataclasses.replace(rule, allow_adjustment_debt=True)
    answer = await adjust_points(an_adjustment(-80), uow, clock)
    assert answer.record.balance.available == -80
    assert uow.ledger_sum(TENANT, "m1") == -80


async def test_a_tenant_without_an_earning_rule_cannot_adjust(clock: FakeClock) -> None:
    with pytest.raises(NoEarningRule):
        await adjust_points(an_adjustment(10), FakeUnitOfWork(), clock)
