"""A member merged into another, holds and debts included, reconciles lot by lot: the
lots move with their ids, and the merge entries name what moved."""

from __future__ import annotations

from decimal import Decimal

from libs.clock import FakeClock
from libs.mongo import Database, MongoClient
from libs.unit_of_work import MongoUnitOfWork
from services.points.adapters.events.merge import merge_to_outbox
from services.points.adapters.events.points import to_outbox
from services.points.adapters.reconciliation import drifting_wallets
from services.points.adapters.repositories import MongoRepositories
from services.points.adapters.repositories.merge import MongoMergeRepositories, ensure_merge_indexes
from services.points.domain.earning import EarningRule
from services.points.handlers.adjustments import AdjustPoints, adjust_points
from services.points.handlers.merge import MergeWallets, merge_wallets
from services.points.handlers.queries import get_balance, put_earning_rule
from services.points.handlers.redemptions import HoldPoints, hold_points


async def test_a_merged_wallet_with_an_open_hold_reconciles_lot_by_lot(
    db: tuple[MongoClient, Database],
) -> None:
    client, database = db
    await ensure_merge_indexes(database)
    uow = MongoUnitOfWork(client, database, MongoRepositories, to_outbox)
    merges = MongoUnitOfWork(client, database, MongoMergeRepositories, merge_to_outbox)
    clock = FakeClock()
    rule = EarningRule("CNY", Decimal(1), expiry_months=24, allow_adjustment_debt=True)
    await put_earning_rule("demo", rule, uow)
    for member_id, points in (("gone", 200), ("kept", 50)):
        await adjust_points(
            AdjustPoints("demo", f"A-{member_id}", member_id, points, "x"), uow, clock
        )
    await hold_points(HoldPoints("demo", "gone", 120, "app", hold_seconds=3600), uow, clock)
    await adjust_points(AdjustPoints("demo", "D-kept", "kept", -70, "x"), uow, clock)

    await merge_wallets(MergeWallets("ev-1", "demo", "kept", "gone"), merges, clock)

    balance = await get_balance("demo", "kept", uow, clock)
    assert (balance.available, balance.held) == (60, 120)
    assert [d async for d in drifting_wallets(database, "demo")] == []
