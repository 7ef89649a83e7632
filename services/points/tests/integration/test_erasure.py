"""Erasing a member takes the operators' words about them out of the points service's
database, on both sides of a transfer, and the ledger still reconciles."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

from libs.clock import FakeClock
from libs.mongo import Database, MongoClient
from libs.unit_of_work import MongoUnitOfWork
from services.points.adapters.erasure import MongoFreeTextEraser
from services.points.adapters.events.points import to_outbox
from services.points.adapters.reconciliation import drifting_wallets
from services.points.adapters.repositories import MongoRepositories
from services.points.domain.earning import EarningRule
from services.points.handlers.adjustments import AdjustPoints, adjust_points
from services.points.handlers.erasure import erase_free_text
from services.points.handlers.queries import get_ledger, put_earning_rule
from services.points.handlers.transfers import TransferPoints, transfer_points

NOTE = "Li Lei rang from 13800000001"


async def test_erasure_redacts_adjustments_and_transfers_and_the_ledger_still_reconciles(
    db: tuple[MongoClient, Database],
) -> None:
    client, database = db
    uow = MongoUnitOfWork(client, database, MongoRepositories, to_outbox)
    clock, tenant = FakeClock(), f"t{uuid4().hex[:8]}"
    rule = EarningRule("CNY", Decimal(1), expiry_months=24, transfer_limit_per_day=1000)
    await put_earning_rule(tenant, rule, uow)
    await adjust_points(AdjustPoints(tenant, "A-1", "gone", 300, NOTE), uow, clock)
    await transfer_points(TransferPoints(tenant, "T-1", "gone", "kept", 100, NOTE), uow, clock)
    eraser = MongoFreeTextEraser(database)

    changed = await erase_free_text(tenant, "gone", eraser)

    assert changed > 0
    assert await erase_free_text(tenant, "gone", eraser) == 0
    for member_id in ("gone", "kept"):
        page = await get_ledger(tenant, member_id, 50, "", uow)
        assert page.entries
        assert all(NOTE not in entry.reason for entry in page.entries)
    for name in ("adjustments", "transfers", "ledger_entries"):
        async for doc in database[name].find({"tenant_id": tenant}):
            assert NOTE not in str(doc)
    assert [d async for d in drifting_wallets(database, tenant)] == []
