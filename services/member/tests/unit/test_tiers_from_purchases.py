import dataclasses
from datetime import timedelta
from decimal import Decimal

import pytest

from libs.clock import FakeClock
from libs.ids import new_id
from services.member.domain.members import MemberTierChanged
from services.member.handlers.merge import MergeMembers, merge_members
from services.member.handlers.qualifying import (
    CountPurchase,
    CountReturn,
    RecountMember,
    count_purchase,
    count_return,
    recount_member,
)
from services.member.handlers.reads import get_member
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


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def purchase(
    member_id: str, points: int, clock: FakeClock, *, spend: str = "0", days_ago: int = 0
) -> CountPurchase:
    return CountPurchase(
        new_id("ev"),
        TENANT,
        member_id,
        new_id("order"),
        clock.now - timedelta(days=days_ago),
        points,
        Decimal(spend),
    )


def giving_back(bought: CountPurchase, points: int, clock: FakeClock) -> CountReturn:
    return CountReturn(new_id("ev"), TENANT, bought.member_id, bought.order_id, points, clock.now)


async def tier_of(uow: FakeUnitOfWork, member_id: str) -> str:
    tier = (await get_member(TENANT, member_id, uow)).member.tier
    assert tier is not None
    return tier.code


def tier_events(uow: FakeUnitOfWork) -> list[tuple[str, str, str]]:
    return [
        (e.from_tier, e.to_tier, e.reason)
        for e in uow.published
        if isinstance(e, MemberTierChanged)
    ]


async def test_a_purchase_reaching_gold_upgrades_the_member_as_it_arrives(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    member_id = await enrolled(uow)

    assert await count_purchase(purchase(member_id, 5200, clock), uow, clock) is True

    assert await tier_of(uow, member_id) == "gold"
    assert tier_events(uow) == [("member", "gold", "upgrade")]
    assert [(t.to_code, t.reason) for t in uow.state.tiers][-1] == ("gold", "upgrade")


async def test_a_redelivered_purchase_counts_once(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    member_id = await enrolled(uow)
    bought = purchase(member_id, 3000, clock)

    first = await count_purchase(bought, uow, clock)
    again = await count_purchase(bought, uow, clock)

    assert (first, again) == (True, False)
    assert await tier_of(uow, member_id) == "silver"


async def test_a_return_undoing_the_qualifying_purchase_takes_the_tier_back(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    member_id = await enrolled(uow)
    bought = purchase(member_id, 5200, clock)
    await count_purchase(bought, uow, clock)
    clock.advance(hours=1)

    await count_return(giving_back(bought, 4000, clock), uow, clock)

    assert await tier_of(uow, member_id) == "silver"
    assert tier_events(uow)[-1] == ("gold", "silver", "reversed")


async def test_a_return_handled_before_its_purchase_still_counts(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    member_id = await enrolled(uow)
    bought = purchase(member_id, 5200, clock)

    await count_return(giving_back(bought, 4400, clock), uow, clock)
    await count_purchase(bought, uow, clock)

    assert await tier_of(uow, member_id) == "member"


async def test_purchases_older_than_the_window_do_not_count(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    member_id = await enrolled(uow)

    await count_purchase(purchase(member_id, 4000, clock, days_ago=400), uow, clock)
    await count_purchase(purchase(member_id, 1500, clock), uow, clock)

    assert await tier_of(uow, member_id) == "silver"


async def test_a_spend_program_counts_what_was_paid_and_returns_in_proportion(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    uow.state.programs[TENANT] = dataclasses.replace(PROGRAM, qualifying_metric="spend")
    member_id = await enrolled(uow)
    bought = purchase(member_id, 100, clock, spend="5000.50")

    await count_purchase(bought, uow, clock)
    upgraded = await tier_of(uow, member_id)
    await count_return(giving_back(bought, 50, clock), uow, clock)

    assert (upgraded, await tier_of(uow, member_id)) == ("gold", "silver")


async def test_after_a_merge_the_survivor_s_tier_counts_both_members_purchases(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    survivor_id = await enrolled(uow, ("phone", "13800000001"))
    merged_id = await enrolled(uow, ("phone", "13800000002"))
    await count_purchase(purchase(survivor_id, 3000, clock), uow, clock)
    await count_purchase(purchase(merged_id, 2500, clock), uow, clock)
    await merge_members(MergeMembers(TENANT, survivor_id, merged_id, OPERATOR), uow)
    silver_until_points_moved = await tier_of(uow, survivor_id)

    await recount_member(RecountMember(new_id("ev"), TENANT, survivor_id), uow, clock)

    assert (silver_until_points_moved, await tier_of(uow, survivor_id)) == ("silver", "gold")


async def test_a_late_purchase_of_a_member_merged_away_counts_for_the_survivor(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    survivor_id = await enrolled(uow, ("phone", "13800000001"))
    merged_id = await enrolled(uow, ("phone", "13800000002"))
    await merge_members(MergeMembers(TENANT, survivor_id, merged_id, OPERATOR), uow)

    await count_purchase(purchase(merged_id, 5000, clock), uow, clock)

    assert (await tier_of(uow, survivor_id), await tier_of(uow, merged_id)) == ("gold", "member")
