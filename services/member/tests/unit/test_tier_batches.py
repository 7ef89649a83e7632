"""A batch of the tier consumer's events counted in one transaction: its members and their
merges read once for all of them, and each event seeing what the batch's earlier ones
changed (the book, the tier)."""

from __future__ import annotations

from decimal import Decimal

from libs.clock import FakeClock
from libs.ids import new_id
from services.member.handlers.merge import MergeMembers, merge_members
from services.member.handlers.qualifying import (
    Counting,
    CountPurchase,
    count_together,
    purchase_work,
)
from services.member.tests.fakes import FakeUnitOfWork
from services.member.tests.unit.support import OPERATOR, TENANT, enrolled, tenant_uow


def a_purchase(member_id: str, points: int, clock: FakeClock) -> CountPurchase:
    return CountPurchase(
        new_id("ev"), TENANT, member_id, new_id("o"), clock.now, points, Decimal(0)
    )


def tier_code(uow: FakeUnitOfWork, member_id: str) -> str:
    tier = uow.state.members[(TENANT, member_id)].tier
    return "" if tier is None else tier.code


async def test_a_batch_reads_its_members_and_their_merges_with_one_read_each() -> None:
    uow, clock = tenant_uow(), FakeClock()
    members = [await enrolled(uow, ("phone", f"1380000000{n}")) for n in range(3)]
    uow.state.member_reads.clear()
    works = [purchase_work(a_purchase(m, 1200, clock), Counting(clock)) for m in members]

    counted = await count_together(works, uow)

    assert counted == 3
    assert dict(uow.state.member_reads) == {"tier_holders": 1, "merged_into_each": 1}
    assert [tier_code(uow, m) for m in members] == ["silver"] * 3


async def test_a_members_second_purchase_in_a_batch_sees_the_book_and_tier_of_the_first() -> None:
    uow, clock = tenant_uow(), FakeClock()
    member_id = await enrolled(uow)
    first, second = a_purchase(member_id, 2600, clock), a_purchase(member_id, 2600, clock)

    await count_together([purchase_work(p, Counting(clock)) for p in (first, second)], uow)

    assert tier_code(uow, member_id) == "gold"
    changes = [(c.from_code, c.to_code) for c in uow.state.tiers if c.member_id == member_id]
    assert changes[-2:] == [("member", "silver"), ("silver", "gold")]


async def test_the_same_event_twice_in_a_batch_counts_once() -> None:
    uow, clock = tenant_uow(), FakeClock()
    member_id = await enrolled(uow)
    bought = a_purchase(member_id, 3000, clock)

    counted = await count_together([purchase_work(bought, Counting(clock))] * 2, uow)

    assert counted == 1
    assert tier_code(uow, member_id) == "silver"


async def test_a_batch_counts_a_purchase_of_a_member_merged_away_for_the_survivor() -> None:
    uow, clock = tenant_uow(), FakeClock()
    survivor = await enrolled(uow, ("phone", "13800000001"))
    merged = await enrolled(uow, ("phone", "13800000002"))
    await merge_members(MergeMembers(TENANT, survivor, merged, OPERATOR), uow)
    purchases = [a_purchase(merged, 2600, clock), a_purchase(survivor, 2600, clock)]

    await count_together([purchase_work(p, Counting(clock)) for p in purchases], uow)

    assert (tier_code(uow, survivor), tier_code(uow, merged)) == ("gold", "member")
