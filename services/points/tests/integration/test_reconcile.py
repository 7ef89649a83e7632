"""Reconciliation after a mixed concurrent load finds no drift, and does find a tampered
wallet; `python -m services.points.reconcile` says so and exits accordingly."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from collections.abc import Awaitable
from typing import TYPE_CHECKING

from grpc import aio

from libs.mongo import make_client
from libs.stack.apps import REPO_ROOT
from loyalty.points.v1 import points_pb2 as pb
from services.points.adapters.reconciliation import drifting_wallets, wallet_totals
from services.points.adapters.repositories import WALLETS
from services.points.settings import PointsSettings
from services.points.tests.integration.test_concurrency import shopper

if TYPE_CHECKING:
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub


def run_reconcile(settings: PointsSettings) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MONGO_URL": settings.mongo_url, "MONGO_DB": settings.mongo_db}
    return subprocess.run(
        [sys.executable, "-m", "services.points.reconcile"],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_reconciliation_finds_no_drift_after_a_mixed_load_and_finds_tampering(
    points: PointsServiceAsyncStub, settings: PointsSettings, tenant: str
) -> None:
    members = [f"m{n}" for n in range(4)]
    await asyncio.gather(*(shopper(points, tenant, m) for m in members for _ in range(3)))
    client = make_client(settings.mongo_url, app_name="points-reconcile-tests")
    try:
        db = client[settings.mongo_db]
        assert [d async for d in drifting_wallets(db)] == []
        clean = await asyncio.to_thread(run_reconcile, settings)
        totals = (await wallet_totals(db))[tenant]
        held_in_all = f"{tenant}: 4 wallet(s) hold {totals.available} available, {totals.held} held"
        assert clean.returncode == 0
        assert clean.stdout.splitlines() == [
            f"{held_in_all}, {totals.pending} pending",
            f"0 drifting member(s) in {db.name}",
        ]

        await db[WALLETS].update_one({"member_id": "m2"}, {"$inc": {"held": 5}})
        [drift] = [d async for d in drifting_wallets(db)]
        assert (drift.tenant_id, drift.member_id) == (tenant, "m2")
        found = await asyncio.to_thread(run_reconcile, settings)
        assert found.returncode == 1
        assert found.stdout.startswith(f"{tenant} m2: available")
    finally:
        await client.close()


async def operator(points: PointsServiceAsyncStub, tenant: str, member_id: str) -> None:
    """Adjust, bulk-adjust and transfer to the next member, tolerating refusals."""
    other = f"m{(int(member_id[1:]) + 1) % 4}"
    calls: list[Awaitable[object]] = [
        points.AdjustPoints(
            pb.AdjustPointsRequest(
                tenant_id=tenant,
                member_id=member_id,
                adjustment_id=f"A-{member_id}",
                points=300,
                reason="r",
            )
        ),
        points.BulkAdjustPoints(
            pb.BulkAdjustPointsRequest(
                tenant_id=tenant,
                file_id=f"F-{member_id}",
                rows=[pb.BulkAdjustmentRow(row=1, member_id=member_id, points=-120, reason="r")],
            )
        ),
        points.TransferPoints(
            pb.TransferPointsRequest(
                tenant_id=tenant,
                transfer_id=f"T-{member_id}",
                from_member_id=member_id,
                to_member_id=other,
                points=90,
            )
        ),
    ]
    for call in calls:
        with contextlib.suppress(aio.AioRpcError):
            await call


async def test_a_tenant_reconciles_after_adjustments_and_transfers_until_points_move_between_lots(
    points: PointsServiceAsyncStub, settings: PointsSettings, tenant: str
) -> None:
    rule = pb.EarningRule(
        currency="CNY", points_per_unit="1", expiry_months=24, transfer_limit_per_day=1000
    )
    await points.PutEarningRule(pb.PutEarningRuleRequest(tenant_id=tenant, rule=rule))
    members = [f"m{n}" for n in range(4)]
    await asyncio.gather(
        *(shopper(points, tenant, m) for m in members),
        *(operator(points, tenant, m) for m in members),
    )
    clean = await points.ReconcilePoints(pb.ReconcilePointsRequest(tenant_id=tenant))
    assert list(clean.drifting) == []
    client = make_client(settings.mongo_url, app_name="points-reconcile-tests")
    try:
        wallets = client[settings.mongo_db][WALLETS]
        doc = await wallets.find_one({"tenant_id": tenant, "lots.0": {"$exists": True}})
        assert doc is not None, "a member with points in a lot"
        lot = doc["lots"][0]
        # The points move to a lot nothing names; every balance still agrees.
        await wallets.update_one(
            {"_id": doc["_id"]}, {"$set": {"lots.0.lot_id": "lot-from-nowhere"}}
        )
    finally:
        await client.close()
    drifting = (await points.ReconcilePoints(pb.ReconcilePointsRequest(tenant_id=tenant))).drifting
    assert {d.member_id for d in drifting} == {doc["member_id"]}
    problems = sorted(p for d in drifting for p in d.problems)
    assert problems == [
        f"lot lot-from-nowhere holds {lot['remaining']}, the entries and holds naming it 0",
        f"lot {lot['lot_id']} is in no wallet, the entries and holds naming it say "
        f"{lot['remaining']}",
    ]
    other = await points.ReconcilePoints(pb.ReconcilePointsRequest(tenant_id=f"{tenant}-other"))
    assert list(other.drifting) == []
