"""The tier consumer's work over real MongoDB: one progress document per member, changed
with each event, and no personal data read (its unit of work holds a vault whose key
opens no member's data, so any read of it would fail)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

from libs.ids import new_id
from libs.unit_of_work import MongoUnitOfWork
from loyalty.member.v1 import member_pb2 as pb
from services.member.adapters.crypto import MasterKey, Vault
from services.member.adapters.events import to_outbox
from services.member.adapters.repositories import repositories_factory
from services.member.adapters.repositories.qualifying import PROGRESS, PURCHASES
from services.member.domain.ports import UnitOfWork
from services.member.handlers.qualifying import (
    CountPurchase,
    CountReturn,
    count_purchase,
    count_return,
    count_together,
    purchase_work,
)
from services.member.tests.integration.conftest import RunningMember

NOW = datetime.now(UTC)


def blind_uow(running: RunningMember) -> UnitOfWork:
    db = running.db
    make = repositories_factory(Vault(MasterKey.generate()))
    uow: UnitOfWork = MongoUnitOfWork(db.client, db, make, to_outbox)
    return uow


async def a_member(running: RunningMember) -> str:
    identity = pb.Identity(type="app_user", value=f"u-{uuid4().hex}")
    enrolled = await running.stub.EnrollMember(
        pb.EnrollMemberRequest(tenant_id="demo", channel="app", identities=[identity])
    )
    return enrolled.member.member_id


async def tier_of(running: RunningMember, member_id: str) -> tuple[str, int]:
    read = await running.stub.GetTierProgress(
        pb.GetTierProgressRequest(tenant_id="demo", member_id=member_id)
    )
    return read.progress.tier.code, read.progress.qualifying_amount


def bought(member_id: str, order_id: str, points: int) -> CountPurchase:
    at = NOW - timedelta(days=1)
    return CountPurchase(new_id("ev"), "demo", member_id, order_id, at, points, Decimal(points))


async def test_purchases_and_a_return_keep_one_progress_document_and_read_no_personal_data(
    running_member: RunningMember,
) -> None:
    member_id, uow = await a_member(running_member), blind_uow(running_member)
    first, second = new_id("order"), new_id("order")

    await count_purchase(bought(member_id, first, 3000), uow)
    await count_purchase(bought(member_id, second, 3000), uow)
    gold = await tier_of(running_member, member_id)
    back = CountReturn(new_id("ev"), "demo", member_id, second, 3000, NOW)
    await count_return(back, uow)

    db = running_member.db
    [progress] = await db[PROGRESS].find({"member_id": member_id}).to_list()
    assert gold == ("gold", 6000)
    assert await tier_of(running_member, member_id) == ("silver", 3000)
    assert [o["order_id"] for o in progress["orders"]] == [first, second]
    assert await db[PURCHASES].count_documents({"member_id": member_id}) == 0
    assert await db["tier_evaluations"].count_documents({}) == 0


async def test_orders_kept_one_document_each_by_earlier_versions_start_the_members_book(
    running_member: RunningMember,
) -> None:
    member_id, uow = await a_member(running_member), blind_uow(running_member)
    earlier = new_id("order")
    await running_member.db[PURCHASES].insert_one(
        {
            "_id": f"demo:{earlier}",
            "tenant_id": "demo",
            "order_id": earlier,
            "member_id": member_id,
            "occurred_at": NOW - timedelta(days=30),
            "points": 4500,
            "spend": "4500",
            "reversed_points": 0,
        }
    )

    await count_purchase(bought(member_id, new_id("order"), 600), uow)

    progress = await running_member.db[PROGRESS].find_one({"member_id": member_id})
    assert await tier_of(running_member, member_id) == ("gold", 5100)
    assert progress is not None
    assert len(progress["orders"]) == 2


async def test_a_redelivered_purchase_is_found_in_the_book_and_no_inbox_row_is_written(
    running_member: RunningMember,
) -> None:
    member_id, uow = await a_member(running_member), blind_uow(running_member)
    purchase = bought(member_id, new_id("order"), 3000)

    first = await count_purchase(purchase, uow)
    again = await count_purchase(purchase, uow)

    db = running_member.db
    assert (first, again) == (True, False)
    assert await tier_of(running_member, member_id) == ("silver", 3000)
    assert await db["inbox"].count_documents({"event_id": purchase.event_id}) == 0


async def test_a_batch_counts_each_members_purchases_and_a_merged_members_for_the_survivor(
    running_member: RunningMember,
) -> None:
    uow, stub = blind_uow(running_member), running_member.stub
    survivor, merged, other = [await a_member(running_member) for _ in range(3)]
    await stub.MergeMembers(
        pb.MergeMembersRequest(
            tenant_id="demo",
            survivor_id=survivor,
            merged_id=merged,
            actor=pb.Actor(kind="operator", channel="operator", key_id="op_test"),
        )
    )
    purchases = [
        bought(survivor, new_id("order"), 3000),
        bought(merged, new_id("order"), 2500),
        bought(other, new_id("order"), 1200),
        bought(survivor, new_id("order"), 100),
    ]

    counted = await count_together([purchase_work(p) for p in purchases], uow)
    again = await count_together([purchase_work(p) for p in purchases], uow)

    assert (counted, again) == (4, 0)
    assert await tier_of(running_member, survivor) == ("gold", 5600)
    assert await tier_of(running_member, other) == ("silver", 1200)
