from datetime import timedelta
from decimal import Decimal

import pytest

from libs.clock import FakeClock
from libs.errors import FailedPrecondition
from libs.ids import new_id
from services.member.domain.qualifying import Cart, TierProgress, still_needed_after
from services.member.domain.tiers import Tier, TierState
from services.member.handlers.qualifying import CountPurchase, count_purchase
from services.member.handlers.tier_progress import get_tier_progress
from services.member.tests.fakes import FakeUnitOfWork
from services.member.tests.unit.support import TENANT, enrolled, tenant_uow


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return tenant_uow()


async def bought(
    uow: FakeUnitOfWork, member_id: str, points: int, clock: FakeClock, ago: int
) -> None:
    at = clock.now - timedelta(days=ago)
    command = CountPurchase(new_id("ev"), TENANT, member_id, new_id("o"), at, points, Decimal(0))
    await count_purchase(command, uow, clock)


async def test_progress_says_what_the_next_tier_still_takes_and_by_when(
    uow: FakeUnitOfWork,
) -> None:
    clock = FakeClock()
    member_id = await enrolled(uow)
    await bought(uow, member_id, 800, clock, ago=100)
    await bought(uow, member_id, 700, clock, ago=10)

    progress = await get_tier_progress(TENANT, member_id, uow, clock)

    assert (progress.tier.code, progress.amount) == ("silver", 1500)
    assert progress.next_tier is not None
    assert (progress.next_tier.code, progress.still_needed) == ("gold", 3500)
    assert progress.needed_by == clock.now + timedelta(days=265)
    assert progress.counted_since == clock.now - timedelta(days=365)
    assert progress.held_until == clock.now + timedelta(days=365)


async def test_at_the_top_tier_nothing_more_is_needed(uow: FakeUnitOfWork) -> None:
    clock = FakeClock()
    member_id = await enrolled(uow)
    await bought(uow, member_id, 6000, clock, ago=0)

    progress = await get_tier_progress(TENANT, member_id, uow, clock)

    assert (progress.tier.code, progress.next_tier, progress.still_needed) == ("gold", None, 0)


async def test_a_new_member_needs_the_whole_first_threshold(uow: FakeUnitOfWork) -> None:
    member_id = await enrolled(uow)

    progress = await get_tier_progress(TENANT, member_id, uow, FakeClock())

    assert progress.next_tier is not None
    assert (progress.amount, progress.next_tier.code, progress.still_needed) == (0, "silver", 1000)
    assert progress.needed_by is None


async def test_progress_needs_a_tier_program(uow: FakeUnitOfWork) -> None:
    member_id = await enrolled(uow)
    del uow.state.programs[TENANT]

    with pytest.raises(FailedPrecondition) as refused:
        await get_tier_progress(TENANT, member_id, uow, FakeClock())

    assert refused.value.code == "tier_program_not_found"


async def test_a_cart_s_points_come_off_what_the_next_tier_still_takes(
    uow: FakeUnitOfWork,
) -> None:
    clock = FakeClock()
    member_id = await enrolled(uow)
    await bought(uow, member_id, 1500, clock, ago=10)

    cart = Cart(points=500, spend=Decimal("999.99"))
    progress = await get_tier_progress(TENANT, member_id, uow, clock, cart=cart)

    assert (progress.still_needed, progress.still_needed_after_cart) == (3500, 3000)


async def test_a_cart_worth_more_than_the_next_tier_leaves_nothing_needed(
    uow: FakeUnitOfWork,
) -> None:
    clock = FakeClock()
    member_id = await enrolled(uow)

    cart = Cart(points=1200, spend=Decimal(0))
    progress = await get_tier_progress(TENANT, member_id, uow, clock, cart=cart)

    assert progress.still_needed_after_cart == 0


async def test_without_a_cart_nothing_is_said_about_one(uow: FakeUnitOfWork) -> None:
    member_id = await enrolled(uow)

    progress = await get_tier_progress(TENANT, member_id, uow, FakeClock())

    assert progress.still_needed_after_cart is None


def test_a_spend_program_counts_a_cart_in_whole_currency_units() -> None:
    progress = TierProgress(
        member_id="m",
        tier=TierState("member", "Member", FakeClock().now),
        metric="spend",
        window_days=365,
        amount=100,
        next_tier=Tier("silver", "Silver", 1000, Decimal("1.25")),
        still_needed=900,
        counted_since=FakeClock().now,
        needed_by=None,
        held_until=None,
    )

    assert still_needed_after(progress, Cart(points=5000, spend=Decimal("299.99"))) == 601


def test_at_the_top_tier_a_cart_changes_nothing_that_is_needed() -> None:
    top = TierProgress(
        "m",
        TierState("gold", "Gold", FakeClock().now),
        "points_earned",
        365,
        6000,
        None,
        0,
        FakeClock().now,
        None,
        None,
    )

    assert still_needed_after(top, Cart(points=10, spend=Decimal(1))) is None
