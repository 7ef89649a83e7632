"""A campaign bonus granted after a purchase counts toward tiers as what the purchase earned."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import TypeVar, cast

from google.protobuf.message import Message
from nats.aio.msg import Msg

from libs.clock import FakeClock
from libs.ids import new_id
from libs.timestamps import timestamp
from loyalty.common.v1.common_pb2 import EventMeta
from loyalty.points.v1 import events_pb2
from services.member.domain.ports import UnitOfWork
from services.member.entrypoints.consumers import PointsEventHandler, bonus_from
from services.member.handlers.qualifying import (
    CountBonus,
    CountPurchase,
    CountReturn,
    count_bonus,
    count_purchase,
    count_return,
)
from services.member.handlers.reads import get_member
from services.member.tests.fakes import FakeRepositories, FakeUnitOfWork
from services.member.tests.unit.support import TENANT, enrolled, tenant_uow

T = TypeVar("T")


async def test_a_bonus_granted_for_a_purchase_moves_the_tier_and_its_return_takes_it_back() -> None:
    uow, clock = tenant_uow(), FakeClock()
    member_id = await enrolled(uow)
    order_id = new_id("order")
    at = clock.now - timedelta(minutes=5)
    bought = CountPurchase(new_id("ev"), TENANT, member_id, order_id, at, 4900, Decimal(0))
    await count_purchase(bought, uow, clock)
    bonus = CountBonus(new_id("ev"), TENANT, member_id, order_id, 300, clock.now)

    assert await count_bonus(bonus, uow, clock) is True
    assert await count_bonus(bonus, uow, clock) is False

    tier = (await get_member(TENANT, member_id, uow)).member.tier
    assert tier is not None
    assert tier.code == "gold"
    back = CountReturn(new_id("ev"), TENANT, member_id, order_id, 5200, clock.now)
    await count_return(back, uow, clock)
    tier = (await get_member(TENANT, member_id, uow)).member.tier
    assert tier is not None
    assert tier.code != "gold"


def test_a_reward_that_names_no_order_is_not_a_purchase() -> None:
    meta = EventMeta(event_id="ev1", tenant_id=TENANT, type="points.granted")
    welcome = events_pb2.PointsGranted(meta=meta, member_id="m1", points=100)
    bonus = events_pb2.PointsGranted(meta=meta, member_id="m1", points=100, order_id="o1")

    assert bonus_from(welcome.SerializeToString()) is None
    counted = bonus_from(bonus.SerializeToString())
    assert counted is not None
    assert (counted.order_id, counted.points) == ("o1", 100)


class CountingUnitOfWork:
    """The fake unit of work, counting its transactions."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow
        self.transactions = 0

    async def transaction(self, work: Callable[[FakeRepositories], Awaitable[T]]) -> T:
        self.transactions += 1
        return await self.uow.transaction(work)

    async def read(self, work: Callable[[FakeRepositories], Awaitable[T]]) -> T:
        return await self.uow.read(work)


def delivered(event_type: str, message: Message) -> Msg:
    return cast(
        Msg,
        SimpleNamespace(
            subject=f"loyalty.{TENANT}.{event_type}", headers={}, data=message.SerializeToString()
        ),
    )


async def test_a_batch_of_points_events_counts_in_one_transaction_and_again_changes_nothing() -> (
    None
):
    fake, clock = tenant_uow(), FakeClock()
    member_id = await enrolled(fake)
    uow = CountingUnitOfWork(fake)
    order_id = new_id("order")
    bought = events_pb2.PointsEarned(
        meta=EventMeta(event_id=new_id("ev"), tenant_id=TENANT),
        member_id=member_id,
        order_id=order_id,
        order_occurred_at=timestamp(clock.now - timedelta(minutes=5)),
        points=4900,
        total="0",
    )
    bonus = events_pb2.PointsGranted(
        meta=EventMeta(event_id=new_id("ev"), tenant_id=TENANT, occurred_at=timestamp(clock.now)),
        member_id=member_id,
        order_id=order_id,
        points=300,
    )
    batch = [delivered("points.earned", bought), delivered("points.granted", bonus)]
    handler = PointsEventHandler(cast(UnitOfWork, uow))

    await handler.batch(batch)
    await handler.batch(batch)

    assert uow.transactions == 2
    tier = (await get_member(TENANT, member_id, fake)).member.tier
    assert tier is not None
    assert tier.code == "gold"
    [book] = fake.state.books.values()
    [counted] = book.orders
    assert counted.points == 4900 + 300
