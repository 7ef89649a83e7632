"""GrantPoints through the handler: a reward credited once per grant key, attached to its
order when it names one, and the ledger's invariants kept."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import timedelta

import pytest

from libs.clock import FakeClock
from libs.errors import InvalidArgument
from services.points.domain.accrual import Source
from services.points.domain.errors import GrantConflict, OrderNotFound
from services.points.domain.events import PointsGranted
from services.points.domain.grants import OrderOfAnotherMember, credit_grant, parse_grant
from services.points.domain.ledger import EntryType
from services.points.domain.reconciliation import check_wallet
from services.points.domain.wallet import Wallet
from services.points.handlers.commands import AccrueLine, AccrueOrder
from services.points.handlers.earning import accrue_order
from services.points.handlers.grants import GrantPoints, grant_points
from services.points.handlers.maturity import mature_wallets
from services.points.handlers.returns import ReturnOrder, return_order
from services.points.tests.fakes import FakeCampaigns, FakeUnitOfWork
from services.points.tests.unit.conftest import TENANT

KEY = "c-shoes:2:POS-1"


def a_grant(
    points: int = 300, *, key: str = KEY, member: str = "m1", order: str = ""
) -> GrantPoints:
    return GrantPoints(
        TENANT, member, key, points, "c-shoes", 2, "Double points on shoes (v2)", order
    )


async def an_order_with_bonus_pending(uow: FakeUnitOfWork, clock: FakeClock) -> str:
    order = AccrueOrder(
        tenant_id=TENANT,
        order_id="POS-1",
        member_id="m1",
        channel="pos",
        store_id="S001",
        occurred_at=clock.now - timedelta(minutes=1),
        currency="CNY",
        total="300.00",
        lines=[AccrueLine("SHOE-1", "shoes", 1, "300.00")],
    )
    answer = await accrue_order(order, uow, FakeCampaigns(down=True), clock)
    assert answer.accrual.bonus_pending
    return order.order_id


def drift(uow: FakeUnitOfWork, member_id: str = "m1") -> object:
    """Reconciliation of the member's wallet against the fake ledger (no holds)."""
    wallet = uow.state.wallets[(TENANT, member_id)]
    named: Counter[str] = Counter()
    for entry in uow.state.entries[(TENANT, member_id)]:
        named.update(dict(entry.lots))
    return check_wallet(
        wallet,
        ledger_sum=uow.ledger_sum(TENANT, member_id),
        open_holds=0,
        stored_available=wallet.available,
        named_lots={lot.lot_id: named[lot.lot_id] for lot in wallet.lots},
    )


async def test_a_grant_credits_a_bonus_entry_once_and_publishes_points_granted(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    first = await grant_points(a_grant(), uow, clock)
    again = await grant_points(a_grant(), uow, clock)

    assert (first.replayed, again.replayed) == (False, True)
    assert again.record == first.record
    assert (first.record.balance.available, first.record.balance.lifetime_earned) == (300, 300)
    [entry] = uow.state.entries[(TENANT, "m1")]
    assert (entry.type, entry.points, entry.campaign_id) == (EntryType.BONUS, 300, "c-shoes")
    [event] = uow.published
    assert isinstance(event, PointsGranted)
    assert (event.grant_key, event.points, event.entry_id) == (KEY, 300, entry.entry_id)
    assert drift(uow) is None


async def test_the_same_key_with_other_points_or_another_member_is_a_conflict(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await grant_points(a_grant(), uow, clock)

    with pytest.raises(GrantConflict):
        await grant_points(a_grant(301), uow, clock)
    with pytest.raises(GrantConflict):
        await grant_points(a_grant(member="m2"), uow, clock)
    assert uow.ledger_sum(TENANT, "m1") == 300
    assert (TENANT, "m2") not in uow.state.wallets


@pytest.mark.parametrize(("points", "key"), [(0, KEY), (-5, KEY), (10, ""), (10, "a key")])
async def test_no_points_or_no_key_is_refused_and_changes_nothing(
    uow: FakeUnitOfWork, clock: FakeClock, points: int, key: str
) -> None:
    with pytest.raises(InvalidArgument):
        await grant_points(a_grant(points, key=key), uow, clock)
    assert uow.published == []


async def test_a_member_the_points_service_never_saw_gets_a_wallet_as_with_adjustments(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    answer = await grant_points(a_grant(50, member="m-new"), uow, clock)

    assert answer.record.balance.available == 50
    assert drift(uow, "m-new") is None


async def test_a_grant_for_an_order_joins_what_it_earned_and_a_return_takes_it_back(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    order_id = await an_order_with_bonus_pending(uow, clock)

    granted = await grant_points(a_grant(order=order_id), uow, clock)

    record = uow.state.orders[(TENANT, order_id)]
    assert record.points_earned == 600
    assert [(line.source, line.points) for line in record.breakdown] == [
        (Source.BASE, 300),
        (Source.CAMPAIGN, 300),
    ]
    assert len(record.lot_ids) == 2
    assert granted.record.balance.lifetime_earned == 600
    half = await return_order(ReturnOrder(TENANT, order_id, "R-1", amount="150.00"), uow, clock)
    assert half.record.points_reversed == 300
    rest = await return_order(ReturnOrder(TENANT, order_id, "R-2", amount="150.00"), uow, clock)
    assert rest.record.points_reversed == 300
    assert (uow.state.wallets[(TENANT, "m1")].available, uow.ledger_sum(TENANT, "m1")) == (0, 0)
    assert drift(uow) is None


async def test_a_grant_for_an_order_still_pending_waits_with_its_points(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    rule = uow.state.rules[TENANT]
    uow.state.rules[TENANT] = dataclasses.replace(rule, pending_days=7)
    order_id = await an_order_with_bonus_pending(uow, clock)

    granted = await grant_points(a_grant(order=order_id), uow, clock)

    assert granted.record.entry_id == ""
    assert (granted.record.balance.available, granted.record.balance.pending) == (0, 600)
    back = await return_order(ReturnOrder(TENANT, order_id, "R-1", amount="300.00"), uow, clock)
    assert back.record.points_reversed == 600
    assert drift(uow) is None


async def test_an_unknown_order_is_refused(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    order_id = await an_order_with_bonus_pending(uow, clock)

    with pytest.raises(OrderNotFound):
        await grant_points(a_grant(order="POS-404"), uow, clock)
    assert uow.state.orders[(TENANT, order_id)].points_earned == 300


async def test_an_order_bonus_goes_to_whoever_holds_the_order_now(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    order_id = await an_order_with_bonus_pending(uow, clock)
    holder = uow.state.orders[(TENANT, order_id)].member_id

    granted = await grant_points(a_grant(member="m-merged-away", order=order_id), uow, clock)
    again = await grant_points(a_grant(member="m-merged-away", order=order_id), uow, clock)

    assert granted.record.member_id == holder
    assert again.replayed
    assert uow.state.orders[(TENANT, order_id)].points_earned > 300
    assert drift(uow) is None


async def test_the_domain_refuses_to_credit_an_order_bonus_to_a_wallet_not_holding_the_order(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    order = uow.state.orders[(TENANT, await an_order_with_bonus_pending(uow, clock))]
    grant = parse_grant(KEY, "m2", 100, order_id=order.order_id)

    with pytest.raises(OrderOfAnotherMember):
        credit_grant(
            Wallet(TENANT, "m2"), grant, order=order, lot_id="lot-1", expires_at=None, at=clock.now
        )


async def test_a_grant_waiting_with_its_order_gets_its_bonus_entry_when_the_points_mature(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    rule = uow.state.rules[TENANT]
    uow.state.rules[TENANT] = dataclasses.replace(rule, pending_days=7)
    order_id = await an_order_with_bonus_pending(uow, clock)
    await grant_points(a_grant(order=order_id), uow, clock)

    clock.advance(days=8)
    await mature_wallets(uow, clock)

    wallet = uow.state.wallets[(TENANT, "m1")]
    assert (wallet.available, wallet.pending, wallet.lifetime_earned) == (600, 0, 600)
    types = [(e.type, e.points) for e in uow.state.entries[(TENANT, "m1")]]
    assert types == [(EntryType.EARN, 300), (EntryType.BONUS, 300)]
    assert drift(uow) is None
