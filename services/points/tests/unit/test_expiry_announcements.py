"""Lots near their expiry are announced once (points.expiring), and the app can ask what
expires in the next days."""

from __future__ import annotations

from datetime import timedelta

import pytest

from libs.clock import FakeClock
from libs.errors import InvalidArgument
from services.points.domain import redemptions
from services.points.domain.events import PointsExpiring
from services.points.domain.expiry import announce_expiring, next_announcement
from services.points.domain.expiry_policy import add_months
from services.points.handlers.adjustments import AdjustPoints, adjust_points
from services.points.handlers.maturity import mature_wallets
from services.points.handlers.queries import get_expiring
from services.points.tests.fakes import FakeUnitOfWork
from services.points.tests.unit.conftest import TENANT
from services.points.tests.unit.samples import NOW, hold, lot, wallet


def test_a_lot_is_announced_once_when_it_comes_within_thirty_days() -> None:
    w = wallet(lot("soon", 40, 20), lot("later", 60, 45), lot("forever", 10, None))
    [first] = announce_expiring(w, NOW)
    assert (first.lot_id, first.points) == ("soon", 40)
    assert announce_expiring(w, NOW + timedelta(days=1)) == []
    assert next_announcement(w) == NOW + timedelta(days=15)
    [second] = announce_expiring(w, NOW + timedelta(days=15))
    assert second.lot_id == "later"
    assert next_announcement(w) is None


def test_a_lot_emptied_and_given_back_is_not_announced_again() -> None:
    w = wallet(lot("soon", 40, 20))
    announce_expiring(w, NOW)
    held = hold(w, 40)
    assert w.lots == []
    redemptions.cancel(w, held, NOW)
    assert announce_expiring(w, NOW + timedelta(days=1)) == []


def test_an_announcement_is_forgotten_once_its_expiry_has_passed() -> None:
    w = wallet(lot("soon", 40, 20))
    announce_expiring(w, NOW)
    announce_expiring(w, NOW + timedelta(days=21))
    assert w.expiry_warnings == {}


async def test_the_sweep_publishes_points_expiring_once_per_lot(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    credited = await adjust_points(AdjustPoints(TENANT, "A-1", "m1", 300, "gift"), uow, clock)
    assert await mature_wallets(uow, clock) == 0
    clock.advance(days=710)
    assert await mature_wallets(uow, clock) == 1
    assert await mature_wallets(uow, clock) == 0
    announced = uow.published[-1]
    assert isinstance(announced, PointsExpiring)
    assert (announced.member_id, announced.points, len(announced.lots)) == ("m1", 300, 1)
    assert announced.lots[0].expires_at == add_months(credited.record.created_at, 24)


async def test_the_app_asks_what_expires_within_some_days(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await adjust_points(AdjustPoints(TENANT, "A-1", "m1", 300, "gift"), uow, clock)
    clock.advance(days=30)
    await adjust_points(AdjustPoints(TENANT, "A-2", "m1", 50, "gift"), uow, clock)
    clock.advance(days=700)
    soon = await get_expiring(TENANT, "m1", 0, uow, clock)
    assert (soon.days, soon.points, [e.points for e in soon.expiring]) == (30, 300, [300])
    later = await get_expiring(TENANT, "m1", 60, uow, clock)
    assert (later.points, [e.points for e in later.expiring]) == (350, [300, 50])
    assert (await get_expiring(TENANT, "nobody", 30, uow, clock)).points == 0
    with pytest.raises(InvalidArgument, match=r"^days: "):
        await get_expiring(TENANT, "m1", 366, uow, clock)
