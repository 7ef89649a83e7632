"""A member's orders and redemptions paged over real MongoDB: newest first, every record
once, a store's only when asked."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from libs.clock import FakeClock
from libs.mongo import Database, MongoClient
from libs.unit_of_work import MongoUnitOfWork
from services.points.adapters.events.points import to_outbox
from services.points.adapters.repositories import MongoRepositories
from services.points.domain.earning import EarningRule
from services.points.handlers.commands import AccrueOrder
from services.points.handlers.earning import accrue_order
from services.points.handlers.member_history import member_orders, member_redemptions
from services.points.handlers.queries import put_earning_rule
from services.points.handlers.redemptions import HoldPoints, hold_points
from services.points.tests.fakes import FakeCampaigns


async def test_orders_and_redemptions_page_newest_first_each_once(
    db: tuple[MongoClient, Database],
) -> None:
    client, database = db
    uow = MongoUnitOfWork(client, database, MongoRepositories, to_outbox)
    clock = FakeClock()
    await put_earning_rule("demo", EarningRule("CNY", Decimal(1)), uow)
    for n in range(5):
        store = "S002" if n % 2 else "S001"
        order = AccrueOrder(
            "demo", f"O-{n}", "m1", "pos", store, clock.now - timedelta(seconds=1), "CNY", "50.00"
        )
        await accrue_order(order, uow, FakeCampaigns(), clock)
        await hold_points(HoldPoints("demo", "m1", 5, "pos", store, capture=n == 0), uow, clock)
        if n != 2:  # two records of the same instant page by their ids
            clock.advance(seconds=1)

    seen, cursor = [], ""
    while True:
        page = await member_orders("demo", "m1", 2, cursor, uow=uow)
        seen += [v.order.order_id for v in page.orders]
        if not (cursor := page.next_cursor):
            break
    holds = await member_redemptions("demo", "m1", 3, "", uow=uow)
    rest = await member_redemptions("demo", "m1", 3, holds.next_cursor, uow=uow)
    s002 = await member_orders("demo", "m1", 0, "", uow=uow, store_ids=frozenset({"S002"}))

    assert seen == ["O-4", "O-3", "O-2", "O-1", "O-0"]
    assert len({r.redemption_id for r in holds.redemptions + rest.redemptions}) == 5
    assert rest.next_cursor == ""
    assert [r.status.value for r in rest.redemptions][-1] == "captured"
    assert [v.order.order_id for v in s002.orders] == ["O-3", "O-1"]
