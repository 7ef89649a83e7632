"""Transfers between two members: lots keep their expiry, a daily limit in the tenant's
day, once per transfer id."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from libs.clock import FakeClock
from libs.errors import InvalidArgument
from services.points.domain.errors import (
    InsufficientPoints,
    TransferConflict,
    TransferLimitExceeded,
    TransfersDisabled,
)
from services.points.domain.events import PointsTransferred
from services.points.domain.ledger import EntryType
from services.points.domain.transfers import Transfer, parse_transfer, transfer
from services.points.domain.wallet import Wallet
from services.points.handlers.adjustments import AdjustPoints, adjust_points
from services.points.handlers.transfers import TransferPoints, transfer_points
from services.points.tests.fakes import FakeUnitOfWork
from services.points.tests.unit.conftest import TENANT
from services.points.tests.unit.samples import NOW, hold, lot, wallet

SHANGHAI = ZoneInfo("Asia/Shanghai")


def gift(points: int, transfer_id: str = "T-1") -> Transfer:
    return Transfer(transfer_id, "m1", "m2", points, "birthday")


def test_points_leave_the_soonest_expiring_lots_and_arrive_with_the_same_expiry() -> None:
    sender, receiver = wallet(lot("late", 100, 90), lot("soon", 40, 3)), Wallet("demo", "m2")
    hold(sender, 20)
    out, in_ = transfer(sender, receiver, gift(70), limit=500, zone=SHANGHAI, at=NOW)
    assert (out.type, out.points, in_.type, in_.points) == (
        EntryType.TRANSFER_OUT,
        -70,
        EntryType.TRANSFER_IN,
        70,
    )
    assert out.reason == "transferred to member m2: birthday"
    assert (out.transfer_id, in_.transfer_id) == ("T-1", "T-1")
    assert (sender.available, sender.held, receiver.available) == (50, 20, 70)
    arrived = sorted((x.expires_at, x.remaining) for x in receiver.lots)
    assert arrived == [(NOW + timedelta(days=3), 20), (NOW + timedelta(days=90), 50)]
    assert receiver.lifetime_earned == 0


def test_a_transfer_never_makes_a_debt_and_changes_nothing_when_refused() -> None:
    sender, receiver = wallet(lot("a", 40, 3)), Wallet("demo", "m2")
    with pytest.raises(InsufficientPoints):
        transfer(sender, receiver, gift(41), limit=500, zone=SHANGHAI, at=NOW)
    with pytest.raises(TransfersDisabled):
        transfer(sender, receiver, gift(1), limit=0, zone=SHANGHAI, at=NOW)
    assert (sender.available, receiver.available, sender.next_seq, receiver.lots) == (40, 0, 1, [])


def test_the_daily_limit_counts_the_tenants_day_not_the_servers() -> None:
    sender, receiver = wallet(lot("a", 1000, 300)), Wallet("demo", "m2")
    late_evening_utc = datetime(2026, 6, 1, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai
    transfer(sender, receiver, gift(300), limit=500, zone=SHANGHAI, at=late_evening_utc)
    with pytest.raises(TransferLimitExceeded, match="200 left today"):
        transfer(sender, receiver, gift(201), limit=500, zone=SHANGHAI, at=late_evening_utc)
    after_midnight_there = late_evening_utc + timedelta(minutes=31)
    transfer(sender, receiver, gift(500), limit=500, zone=SHANGHAI, at=after_midnight_there)
    assert (sender.available, receiver.available) == (200, 800)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("T-1", "m1", "m1", 5, ""), "to_member_id"),
        (("T-1", "m1", "m2", 0, ""), "points"),
        (("", "m1", "m2", 5, ""), "transfer_id"),
        (("T-1", "", "m2", 5, ""), "from_member_id"),
        (("T-1", "m1", "m2", 5, "x" * 201), "reason"),
    ],
)
def test_a_malformed_transfer_is_refused_naming_its_field(
    args: tuple[str, str, str, int, str], field: str
) -> None:
    with pytest.raises(InvalidArgument, match=f"^{field}: "):
        parse_transfer(*args)


def test_a_transfer_without_a_reason_says_it_is_a_points_transfer() -> None:
    assert parse_transfer("T-1", "m1", "m2", 5, " ").reason == "points transfer"


@pytest.fixture
def allowing(uow: FakeUnitOfWork) -> FakeUnitOfWork:
    rule = uow.state.rules[TENANT]
    uow.state.rules[TENANT] = dataclasses.replace(
        rule, transfer_limit_per_day=500, time_zone="Asia/Shanghai"
    )
    return uow


async def test_a_transfer_moves_once_per_id_and_publishes_points_transferred(
    allowing: FakeUnitOfWork, clock: FakeClock
) -> None:
    await adjust_points(AdjustPoints(TENANT, "A-1", "m1", 300, "seed"), allowing, clock)
    request = TransferPoints(TENANT, "T-1", "m1", "m2", 120, "gift", "key:k1")
    first = await transfer_points(request, allowing, clock)
    again = await transfer_points(request, allowing, clock)
    assert (first.replayed, again.replayed, again.record) == (False, True, first.record)
    assert (first.record.from_balance.available, first.record.to_balance.available) == (180, 120)
    assert (allowing.ledger_sum(TENANT, "m1"), allowing.ledger_sum(TENANT, "m2")) == (180, 120)
    event = allowing.published[-1]
    assert isinstance(event, PointsTransferred)
    assert (event.member_id, event.to_member_id, event.points) == ("m1", "m2", 120)
    with pytest.raises(TransferConflict):
        await transfer_points(dataclasses.replace(request, points=121), allowing, clock)


async def test_a_tenant_that_allows_no_transfers_refuses_them(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await adjust_points(AdjustPoints(TENANT, "A-1", "m1", 300, "seed"), uow, clock)
    with pytest.raises(TransfersDisabled):
        await transfer_points(TransferPoints(TENANT, "T-1", "m1", "m2", 1), uow, clock)
    assert (uow.ledger_sum(TENANT, "m1"), (TENANT, "m2") in uow.state.wallets) == (300, False)
