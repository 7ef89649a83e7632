"""Reconciliation after a mixed concurrent load finds no drift, and does find a tampered
wallet; `python -m services.points.reconcile` says so and exits accordingly."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from typing import TYPE_CHECKING

from libs.mongo import make_client
from libs.stack.apps import REPO_ROOT
from services.points.adapters.reconciliation import drifting_wallets
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
        assert (clean.returncode, clean.stdout) == (0, f"0 drifting member(s) in {db.name}\n")

        await db[WALLETS].update_one({"member_id": "m2"}, {"$inc": {"held": 5}})
        [drift] = [d async for d in drifting_wallets(db)]
        assert (drift.tenant_id, drift.member_id) == (tenant, "m2")
        found = await asyncio.to_thread(run_reconcile, settings)
        assert found.returncode == 1
        assert found.stdout.startswith(f"{tenant} m2: available")
    finally:
        await client.close()
