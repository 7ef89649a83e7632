"""A member's book of qualifying orders: what each event changes, what the window keeps,
and a lineage's books counted as one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from libs.clock import FakeClock
from libs.ids import new_id
from libs.nats import RETENTION_SECONDS
from services.member.domain.qualifying import QualifyingPurchase, qualifying_amount
from services.member.domain.tier_book import REDELIVERABLE_FOR, QualifyingBook, combined
from services.member.handlers.qualifying import (
    CONSUMER,
    CountBonus,
    Counting,
    CountPurchase,
    count_bonus,
    count_purchase,
    purchase_work,
)
from services.member.tests.unit.support import PROGRAM, TENANT, enrolled, tenant_uow

NOW = datetime(2026, 12, 7, tzinfo=UTC)


def test_a_return_counted_before_its_purchase_is_kept_when_the_purchase_comes() -> None:
    book = QualifyingBook(TENANT, "m1").with_return("o1", 300, NOW)

    book = book.with_purchase("o1", NOW - timedelta(hours=1), 1000, Decimal(100))

    [order] = book.orders
    assert (order.points, order.reversed_points, order.occurred_at) == (
        1000,
        300,
        NOW - timedelta(hours=1),
    )


def test_a_bonus_adds_to_what_its_order_earned() -> None:
    book = QualifyingBook(TENANT, "m1").with_purchase("o1", NOW, 1000, Decimal(100))

    book = book.with_bonus("o1", 250, NOW)

    assert [o.points for o in book.orders] == [1250]


def test_orders_leave_the_book_once_neither_the_window_nor_the_stream_reaches_them() -> None:
    book = QualifyingBook(TENANT, "m1")
    for days in (400, 364, 29, 1):
        book = book.with_purchase(f"o{days}", NOW - timedelta(days=days), 10, Decimal(1))

    a_year = book.kept(NOW - timedelta(days=365), NOW)
    a_week = book.kept(NOW - timedelta(days=7), NOW)

    assert [o.order_id for o in a_year.orders] == ["o364", "o29", "o1"]
    assert [o.order_id for o in a_week.orders] == ["o29", "o1"]


def test_the_books_keep_events_as_long_as_the_stream_can_redeliver_them() -> None:
    assert timedelta(seconds=RETENTION_SECONDS) == REDELIVERABLE_FOR


def test_a_return_booked_to_the_survivor_takes_back_the_merged_members_order() -> None:
    merged = QualifyingBook(TENANT, "old").with_purchase("o1", NOW, 6000, Decimal(600))
    survivor = QualifyingBook(TENANT, "new").with_return("o1", 6000, NOW + timedelta(days=1))

    orders = combined([*merged.orders, *survivor.orders])

    assert orders == [QualifyingPurchase(TENANT, "o1", "old", NOW, 6000, Decimal(600), 6000)]
    assert qualifying_amount(PROGRAM, orders, NOW + timedelta(days=2)) == 0


async def test_a_period_renewed_at_a_purchase_is_stored_without_a_history_row() -> None:
    uow, clock = tenant_uow(), FakeClock()
    member_id = await enrolled(uow)
    first = CountPurchase(new_id("ev"), TENANT, member_id, new_id("o"), clock.now, 5200, Decimal(0))
    await count_purchase(first, uow, clock)
    rows = len(uow.state.tiers), len(uow.state.audit)
    clock.advance(days=366)
    again = CountPurchase(new_id("ev"), TENANT, member_id, new_id("o"), clock.now, 5200, Decimal(0))

    await count_purchase(again, uow, clock)

    tier = uow.state.members[(TENANT, member_id)].tier
    assert tier is not None
    assert (tier.code, tier.period_ends_at) == ("gold", clock.now + timedelta(days=365))
    assert (len(uow.state.tiers), len(uow.state.audit)) == rows


async def test_an_event_an_earlier_version_noted_in_its_inbox_is_not_counted_again() -> None:
    uow, clock = tenant_uow(), FakeClock()
    member_id = await enrolled(uow)
    purchase = CountPurchase(
        new_id("ev"), TENANT, member_id, new_id("o"), clock.now, 900, Decimal(0)
    )
    uow.state.claimed.add(f"{CONSUMER}:{purchase.event_id}")

    counted = await uow.transaction(
        purchase_work(purchase, Counting(clock, legacy_claims=True)).alone
    )

    assert counted is False
    assert uow.state.books == {}


async def test_a_bonus_for_an_order_no_book_keeps_counts_nothing() -> None:
    uow, clock = tenant_uow(), FakeClock()
    member_id = await enrolled(uow)
    bonus = CountBonus(new_id("ev"), TENANT, member_id, new_id("o"), 6000, clock.now)

    await count_bonus(bonus, uow, clock)

    tier = uow.state.members[(TENANT, member_id)].tier
    assert tier is None or tier.code == "member"
