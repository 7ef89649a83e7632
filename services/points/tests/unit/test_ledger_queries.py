"""Reading the ledger newest first, a page at a time, and the balance."""

from __future__ import annotations

import dataclasses

import pytest

from libs.clock import FakeClock
from libs.errors import InvalidArgument
from services.points.domain.ledger import rows
from services.points.handlers.earning import accrue_order
from services.points.handlers.queries import expiring_holds, get_balance, get_ledger
from services.points.handlers.redemptions import HoldPoints, hold_points
from services.points.tests.fakes import FakeCampaigns, FakeUnitOfWork
from services.points.tests.unit.conftest import TENANT
from services.points.tests.unit.test_accrue_order import an_order


async def test_the_ledger_pages_newest_first_and_sums_to_available_plus_held(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    for n in range(3):
        await accrue_order(an_order(clock, order_id=f"O-{n}"), uow, FakeCampaigns(), clock)
    await hold_points(HoldPoints(TENANT, "m1", 30, "app", capture=True), uow, clock)
    await hold_points(HoldPoints(TENANT, "m1", 20, "app"), uow, clock)
    seen, cursor = [], ""
    while True:
        page = await get_ledger(TENANT, "m1", 4, cursor, uow)
        seen.extend(page.entries)
        cursor = page.next_cursor
        if not cursor:
            break
    # each order is one entry, its base and tier shown as two rows; pages of four rows
    # end inside an entry, and the next page goes on with its remaining row
    assert [(e.seq, e.type) for e in seen] == [
        (4, "redeem"),
        *[(seq, "earn") for seq in (3, 3, 2, 2, 1, 1)],
    ]
    assert len({e.entry_id for e in seen}) == 7
    balance = await get_balance(TENANT, "m1", uow, clock)
    assert balance.available + balance.held == sum(e.points for e in seen)
    assert (balance.held, balance.lifetime_earned) == (20, 3 * 497)


async def test_a_cursor_that_the_ledger_did_not_give_is_refused(uow: FakeUnitOfWork) -> None:
    with pytest.raises(InvalidArgument, match="cursor"):
        await get_ledger(TENANT, "m1", 10, "not-a-cursor", uow)
    with pytest.raises(InvalidArgument, match="limit"):
        await get_ledger(TENANT, "m1", 1000, "", uow)


async def test_a_member_without_points_has_an_empty_balance(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    balance = await get_balance(TENANT, "m-new", uow, clock)
    assert (balance.available, balance.held, balance.expiring) == (0, 0, ())


async def test_ledger_entries_written_one_per_line_before_still_page_as_they_did(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    for n in range(2):
        await accrue_order(an_order(clock, order_id=f"O-{n}"), uow, FakeCampaigns(), clock)
    stored = uow.state.entries[(TENANT, "m1")]
    uow.state.entries[(TENANT, "m1")] = [
        dataclasses.replace(row, seq=seq, entry_id=f"old-{seq}")
        for seq, row in enumerate((r for e in stored for r in rows(e)), start=1)
    ]
    first = await get_ledger(TENANT, "m1", 3, "", uow)
    rest = await get_ledger(TENANT, "m1", 3, first.next_cursor, uow)
    assert [e.entry_id for e in first.entries + rest.entries] == [
        "old-4",
        "old-3",
        "old-2",
        "old-1",
    ]
    assert rest.next_cursor == ""


async def test_the_holds_about_to_expire_come_soonest_first_without_captured_or_later_ones(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    for n in range(2):
        await accrue_order(an_order(clock, order_id=f"O-{n}"), uow, FakeCampaigns(), clock)
    late = await hold_points(HoldPoints(TENANT, "m1", 10, "app", hold_seconds=1800), uow, clock)
    soon = await hold_points(HoldPoints(TENANT, "m1", 20, "app", hold_seconds=300), uow, clock)
    await hold_points(HoldPoints(TENANT, "m1", 30, "app", hold_seconds=7200), uow, clock)
    await hold_points(HoldPoints(TENANT, "m1", 40, "app", capture=True), uow, clock)

    within_an_hour = await expiring_holds(TENANT, 0, 0, uow, clock)
    one = await expiring_holds(TENANT, 60, 1, uow, clock)
    elsewhere = await expiring_holds("other-tenant", 600, 0, uow, clock)

    assert within_an_hour.within_minutes == 60
    assert [h.redemption_id for h in within_an_hour.holds] == [
        soon.redemption.redemption_id,
        late.redemption.redemption_id,
    ]
    assert [h.points for h in one.holds] == [20]
    assert elsewhere.holds == []
    with pytest.raises(InvalidArgument, match="within_minutes"):
        await expiring_holds(TENANT, 100_000, 0, uow, clock)
