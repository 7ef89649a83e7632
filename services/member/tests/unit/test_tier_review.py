import dataclasses
from datetime import timedelta
from decimal import Decimal

import pytest

from libs.clock import FakeClock
from libs.ids import new_id
from services.member.domain.members import MemberTierChanged
from services.member.handlers.qualifying import CountPurchase, count_purchase
from services.member.handlers.reads import get_member
from services.member.handlers.tier_review import review_tiers
from services.member.handlers.tiers import SetManualTier, set_member_tier
from services.member.tests.fakes import FakeUnitOfWork
from services.member.tests.unit.support import (
    OPERATOR,
    PROGRAM,
    TENANT,
    enrolled,
    tenant_uow,
)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return tenant_uow()


async def gold_member(uow: FakeUnitOfWork, clock: FakeClock, points: int = 5200) -> str:
    member_id = await enrolled(uow)
    purchase = CountPurchase(
        new_id("ev"), TENANT, member_id, new_id("o"), clock.now, points, Decimal(0)
    )
    await count_purchase(purchase, uow, clock)
    return member_id


async def tier_of(uow: FakeUnitOfWork, member_id: str) -> str:
    tier = (await get_member(TENANT, member_id, uow)).member.tier
    assert tier is not None
    return tier.code


async def test_a_tier_the_window_no_longer_earns_drops_when_its_period_ends(
    uow: FakeUnitOfWork,
) -> None:
    clock = FakeClock()
    member_id = await gold_member(uow, clock)
    clock.advance(days=364)
    early = await review_tiers(uow, clock)
    clock.advance(days=2)

    dropped = await review_tiers(uow, clock)
    again = await review_tiers(uow, clock)

    assert (early, dropped, again) == (0, 1, 0)
    assert await tier_of(uow, member_id) == "member"
    changes = [e for e in uow.published if isinstance(e, MemberTierChanged)]
    assert (changes[-1].from_tier, changes[-1].to_tier, changes[-1].reason) == (
        "gold",
        "member",
        "downgrade",
    )


async def test_a_member_who_still_qualifies_is_renewed_for_a_new_period(
    uow: FakeUnitOfWork,
) -> None:
    clock = FakeClock()
    member_id = await gold_member(uow, clock)
    clock.advance(days=300)
    await count_purchase(
        CountPurchase(new_id("ev"), TENANT, member_id, new_id("o"), clock.now, 5000, Decimal(0)),
        uow,
        clock,
    )
    clock.advance(days=70)

    await review_tiers(uow, clock)

    tier = (await get_member(TENANT, member_id, uow)).member.tier
    assert tier is not None
    assert tier.code == "gold"
    assert tier.period_ends_at == clock.now + timedelta(days=365)
    assert await review_tiers(uow, clock) == 0


async def test_the_program_s_grace_days_delay_the_drop(uow: FakeUnitOfWork) -> None:
    uow.state.programs[TENANT] = dataclasses.replace(PROGRAM, downgrade_grace_days=30)
    clock = FakeClock()
    member_id = await gold_member(uow, clock)
    clock.advance(days=380)
    in_grace = await review_tiers(uow, clock)
    clock.advance(days=20)

    await review_tiers(uow, clock)

    assert (in_grace, await tier_of(uow, member_id)) == (0, "member")


async def test_a_manual_tier_in_force_is_not_judged(uow: FakeUnitOfWork) -> None:
    clock = FakeClock()
    member_id = await gold_member(uow, clock, points=1200)
    until = clock.now + timedelta(days=800)
    await set_member_tier(SetManualTier(TENANT, member_id, "gold", "vip", until, OPERATOR), uow)
    clock.advance(days=400)

    assert await review_tiers(uow, clock) == 0
    assert await tier_of(uow, member_id) == "gold"
