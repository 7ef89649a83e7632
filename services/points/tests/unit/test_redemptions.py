"""Holds, captures, cancels and expiry through the handlers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from libs.clock import FakeClock
from libs.errors import InvalidArgument, PermissionDenied
from services.points.domain.actors import Actor
from services.points.domain.errors import InsufficientPoints, RedemptionNotFound
from services.points.domain.events import PointsHeld, PointsRedeemed, PointsReleased
from services.points.domain.ledger import EntryType
from services.points.domain.redemptions import RedemptionStatus
from services.points.handlers.earning import accrue_order
from services.points.handlers.redemptions import (
    HoldPoints,
    RedemptionView,
    cancel_redemption,
    capture_redemption,
    expire_due_holds,
    hold_points,
)
from services.points.tests.fakes import FakeCampaigns, FakeUnitOfWork
from services.points.tests.unit.conftest import TENANT
from services.points.tests.unit.test_accrue_order import an_order

AT_S001 = Actor("pos", "S001", "key_till")


@pytest.fixture
async def funded(uow: FakeUnitOfWork, clock: FakeClock) -> FakeUnitOfWork:
    await accrue_order(an_order(clock), uow, FakeCampaigns(), clock)  # 497 points
    uow.published.clear()
    return uow


def a_hold(points: int, **more: object) -> HoldPoints:
    return HoldPoints(TENANT, "m1", points, "pos", "S001", **more)  # type: ignore[arg-type]


async def test_a_hold_moves_points_to_held_writes_no_entry_and_says_so_in_an_event(
    funded: FakeUnitOfWork, clock: FakeClock
) -> None:
    view = await hold_points(a_hold(100), funded, clock)
    assert view.redemption.status is RedemptionStatus.HELD
    assert (view.balance.available, view.balance.held) == (397, 100)
    assert funded.ledger_sum(TENANT, "m1") == 497
    [event] = funded.published
    assert isinstance(event, PointsHeld)
    assert (event.points, event.store_id, event.balance.held) == (100, "S001", 100)


async def test_a_hold_beyond_the_balance_is_insufficient_points_and_changes_nothing(
    funded: FakeUnitOfWork, clock: FakeClock
) -> None:
    with pytest.raises(InsufficientPoints) as caught:
        await hold_points(a_hold(498), funded, clock)
    assert caught.value.code == "insufficient_points"
    assert funded.state.redemptions == {}


async def test_capture_writes_the_redeem_entry_once_however_often_it_is_asked(
    funded: FakeUnitOfWork, clock: FakeClock
) -> None:
    held = await hold_points(a_hold(100, order_id="POS-9"), funded, clock)
    rid = held.redemption.redemption_id
    funded.published.clear()
    first = await capture_redemption(TENANT, rid, funded, clock)
    again = await capture_redemption(TENANT, rid, funded, clock)
    assert first.redemption.status is again.redemption.status is RedemptionStatus.CAPTURED
    assert (again.balance.available, again.balance.held) == (397, 0)
    redeems = [e for e in funded.state.entries[(TENANT, "m1")] if e.type is EntryType.REDEEM]
    assert [(e.points, e.reason) for e in redeems] == [
        (-100, "redeemed on order POS-9 at store S001")
    ]
    assert [type(e) for e in funded.published] == [PointsRedeemed]


async def test_cancel_releases_a_hold_and_reverses_a_capture(
    funded: FakeUnitOfWork, clock: FakeClock
) -> None:
    held = await hold_points(a_hold(100), funded, clock)
    funded.published.clear()
    released = await cancel_redemption(TENANT, held.redemption.redemption_id, funded, clock)
    assert released.redemption.status is RedemptionStatus.RELEASED
    redeemed = await hold_points(a_hold(50, capture=True), funded, clock)
    assert redeemed.redemption.status is RedemptionStatus.CAPTURED
    rid = redeemed.redemption.redemption_id
    reversed_ = await cancel_redemption(TENANT, rid, funded, clock, by=AT_S001)
    await cancel_redemption(TENANT, rid, funded, clock, by=AT_S001)
    assert reversed_.redemption.status is RedemptionStatus.REVERSED
    assert (reversed_.balance.available, reversed_.balance.held) == (497, 0)
    assert funded.ledger_sum(TENANT, "m1") == 497
    kinds = [(type(e).__name__, getattr(e, "status", "")) for e in funded.published]
    assert kinds == [
        ("PointsReleased", "released"),
        ("PointsRedeemed", ""),
        ("PointsReleased", "reversed"),
    ]


async def test_the_expiry_sweep_releases_only_holds_past_their_time(
    funded: FakeUnitOfWork, clock: FakeClock
) -> None:
    short = await hold_points(a_hold(10, hold_seconds=60), funded, clock)
    await hold_points(a_hold(20, hold_seconds=600), funded, clock)
    funded.published.clear()
    clock.advance(seconds=61)
    assert await expire_due_holds(funded, clock) == 1
    assert await expire_due_holds(funded, clock) == 0
    stored = funded.state.redemptions[(TENANT, short.redemption.redemption_id)]
    assert stored.status is RedemptionStatus.EXPIRED
    assert funded.state.wallets[(TENANT, "m1")].held == 20
    [event] = funded.published
    assert isinstance(event, PointsReleased)
    assert event.status == "expired"


async def test_an_unknown_or_foreign_redemption_is_not_found(
    funded: FakeUnitOfWork, clock: FakeClock
) -> None:
    held = await hold_points(a_hold(10), funded, clock)
    with pytest.raises(RedemptionNotFound):
        await capture_redemption("sandbox", held.redemption.redemption_id, funded, clock)
    with pytest.raises(RedemptionNotFound):
        await cancel_redemption(TENANT, "rd_nope", funded, clock)


@pytest.mark.parametrize("step", [capture_redemption, cancel_redemption])
async def test_a_caller_bound_to_other_stores_may_not_capture_or_cancel_and_changes_nothing(
    funded: FakeUnitOfWork, clock: FakeClock, step: Callable[..., Awaitable[RedemptionView]]
) -> None:
    held = await hold_points(a_hold(100), funded, clock)  # at S001
    rid = held.redemption.redemption_id
    funded.published.clear()

    with pytest.raises(PermissionDenied):
        await step(TENANT, rid, funded, clock, stores=frozenset({"S002", "S003"}))

    assert funded.state.redemptions[(TENANT, rid)].status is RedemptionStatus.HELD
    assert funded.state.wallets[(TENANT, "m1")].held == 100
    assert funded.published == []


async def test_a_caller_bound_to_the_redemptions_store_among_others_captures_it(
    funded: FakeUnitOfWork, clock: FakeClock
) -> None:
    held = await hold_points(a_hold(100), funded, clock)  # at S001

    view = await capture_redemption(
        TENANT, held.redemption.redemption_id, funded, clock, stores=frozenset({"S002", "S001"})
    )

    assert view.redemption.status is RedemptionStatus.CAPTURED


@pytest.mark.parametrize(
    ("hold", "field"),
    [
        (HoldPoints(TENANT, "m1", 0, "pos", "S001"), "points"),
        (HoldPoints(TENANT, "", 5, "pos", "S001"), "member_id"),
        (HoldPoints(TENANT, "m1", 5, "pos", ""), "store_id"),
        (HoldPoints(TENANT, "m1", 5, "app", hold_seconds=-5), "hold_seconds"),
    ],
)
async def test_a_malformed_hold_is_refused_naming_the_field(
    funded: FakeUnitOfWork, clock: FakeClock, hold: HoldPoints, field: str
) -> None:
    with pytest.raises(InvalidArgument) as caught:
        await hold_points(hold, funded, clock)
    assert caught.value.message.startswith(f"{field}:")
    assert funded.state.redemptions == {}


@pytest.mark.parametrize(
    "by",
    [Actor("ecommerce", "", "key_web"), Actor("pos", "S002", "key_other"), Actor()],
    ids=["another channel", "another store", "nobody said who"],
)
async def test_a_captured_redemption_is_reversed_only_where_it_was_captured_and_nothing_changes(
    funded: FakeUnitOfWork, clock: FakeClock, by: Actor
) -> None:
    redeemed = await hold_points(a_hold(50, capture=True, key_id="key_till"), funded, clock)
    rid = redeemed.redemption.redemption_id

    with pytest.raises(PermissionDenied) as caught:
        await cancel_redemption(TENANT, rid, funded, clock, by=by)

    assert caught.value.code == "reversal_not_allowed"
    stored = funded.state.redemptions[(TENANT, rid)]
    assert stored.status is RedemptionStatus.CAPTURED
    assert stored.held_by == AT_S001
    assert funded.state.wallets[(TENANT, "m1")].balance(clock()).available == 447


async def test_an_operator_with_the_right_reverses_a_capture_from_anywhere_and_is_recorded(
    funded: FakeUnitOfWork, clock: FakeClock
) -> None:
    redeemed = await hold_points(a_hold(50, capture=True), funded, clock)
    rid = redeemed.redemption.redemption_id
    support = Actor("operator", "", "op_support")

    reversed_ = await cancel_redemption(
        TENANT, rid, funded, clock, by=support, may_reverse_any=True
    )

    assert reversed_.redemption.status is RedemptionStatus.REVERSED
    assert funded.state.redemptions[(TENANT, rid)].cancelled_by == support


async def test_a_hold_is_released_from_any_channel_its_store_allows(
    funded: FakeUnitOfWork, clock: FakeClock
) -> None:
    held = await hold_points(a_hold(10), funded, clock)

    released = await cancel_redemption(
        TENANT, held.redemption.redemption_id, funded, clock, by=Actor("ecommerce", "", "k")
    )

    assert released.redemption.status is RedemptionStatus.RELEASED
