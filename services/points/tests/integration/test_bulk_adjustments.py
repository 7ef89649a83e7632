"""Adjustments from a file against real servers: every row once, even when the same file
is sent twice at the same time."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from loyalty.points.v1 import points_pb2 as pb
from services.points.tests.integration.support import balance_of, ledger_of

if TYPE_CHECKING:
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub

MEMBERS = 20


def a_file(tenant: str, rows: int) -> pb.BulkAdjustPointsRequest:
    return pb.BulkAdjustPointsRequest(
        tenant_id=tenant,
        file_id="promo-2026-11",
        actor="key:k1",
        rows=[
            pb.BulkAdjustmentRow(row=n, member_id=f"m{n % MEMBERS}", points=n, reason="promo")
            for n in range(1, rows + 1)
        ],
    )


async def test_a_file_sent_twice_at_once_applies_each_row_once(
    points: PointsServiceAsyncStub, tenant: str
) -> None:
    request = a_file(tenant, 1000)
    started = time.monotonic()
    first, second = await asyncio.gather(
        points.BulkAdjustPoints(request, timeout=120), points.BulkAdjustPoints(request, timeout=120)
    )
    elapsed = time.monotonic() - started
    assert first.accepted + second.accepted == 1000
    assert first.already_applied + second.already_applied == 1000
    assert (list(first.rejected), list(second.rejected)) == ([], [])
    for m in range(MEMBERS):
        expected = sum(n for n in range(1, 1001) if n % MEMBERS == m)
        assert (await balance_of(points, tenant, f"m{m}")).available == expected
    assert elapsed < 60, f"1000 rows took {elapsed:.1f} s"


async def test_rows_that_cannot_apply_are_reported_and_the_rest_apply(
    points: PointsServiceAsyncStub, tenant: str
) -> None:
    rows = [
        pb.BulkAdjustmentRow(row=1, member_id="m1", points=50, reason="promo"),
        pb.BulkAdjustmentRow(row=2, member_id="m1", points=-80, reason="clawback"),
        pb.BulkAdjustmentRow(row=3, member_id="has space", points=5, reason="promo"),
        pb.BulkAdjustmentRow(row=4, member_id="m1", points=-20, reason="clawback"),
    ]
    report = await points.BulkAdjustPoints(
        pb.BulkAdjustPointsRequest(tenant_id=tenant, file_id="F-1", rows=rows)
    )
    assert report.accepted == 2
    assert [(r.row, r.code) for r in report.rejected] == [
        (2, "insufficient_points"),
        (3, "validation_error"),
    ]
    assert [e.points for e in await ledger_of(points, tenant, "m1")] == [-20, 50]
