"""The sweep that releases pending points and expires due lots, through the handlers."""

from __future__ import annotations

import dataclasses

from libs.clock import FakeClock
from services.points.domain.events import PointsConfirmed, PointsEarned, PointsExpired
from services.points.domain.ledger import EntryType
from services.points.handlers.earning import accrue_order
from services.points.handlers.maturity import mature_wallets
from services.points.handlers.queries import get_balance
from services.points.handlers.redemptions import HoldPoints, hold_points
from services.points.handlers.returns import ReturnOrder, return_order
from services.points.tests.fakes import FakeCampaigns, FakeUnitOfWork
from services.points.tests.unit.conftest import TENANT
from services.points.tests.unit.test_accrue_order import an_order


async def test_pending_points_wait_out_the_return_window_then_are_confirmed_once(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    rule = uow.state.rules[TENANT]
    uow.state.rules[TENANT] = dataclasses.replace(rule, pending_days=14)
    answer = await accrue_order(an_order(clock), uow, FakeCampaigns(), clock)
    assert (answer.accrual.balance.available, answer.accrual.balance.pending) == (0, 497)
    [earned] = uow.published
    assert isinstance(earned, PointsEarned)
    assert earned.pending_until is not None
    assert earned.entry_ids == ()
    await return_order(ReturnOrder(TENANT, "POS-S001-1", "R-1", amount="99.50"), uow, clock)
    assert (await get_balance(TENANT, "m1", uow, clock)).pending == 373
    assert uow.ledger_sum(TENANT, "m1") == 0

    clock.advance(days=14)
    assert await mature_wallets(uow, clock) == 1
    assert await mature_wallets(uow, clock) == 0
    balance = await get_balance(TENANT, "m1", uow, clock)
    assert (balance.available, balance.pending, balance.lifetime_earned) == (373, 0, 497)
    entries = uow.state.entries[(TENANT, "m1")]
    # released as the order's one entry (base and tier inside), then the return
    assert [(e.type, e.points, len(e.parts)) for e in entries] == [
        (EntryType.EARN, 497, 2),
        (EntryType.REVERSE, -124, 0),
    ]
    assert uow.ledger_sum(TENANT, "m1") == 373
    confirmed = uow.published[-1]
    assert isinstance(confirmed, PointsConfirmed)
    assert (confirmed.order_ids, confirmed.points) == (("POS-S001-1",), 373)


async def test_due_lots_expire_once_and_held_points_are_not_taken(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await accrue_order(an_order(clock), uow, FakeCampaigns(), clock)
    await hold_points(HoldPoints(TENANT, "m1", 97, "app", hold_seconds=3600), uow, clock)
    clock.advance(days=2 * 366)
    assert await mature_wallets(uow, clock) == 1
    assert await mature_wallets(uow, clock) == 0
    balance = await get_balance(TENANT, "m1", uow, clock)
    assert (balance.available, balance.held) == (0, 97)
    assert uow.ledger_sum(TENANT, "m1") == 97
    expired = uow.published[-1]
    assert isinstance(expired, PointsExpired)
    assert expired.points == 400
