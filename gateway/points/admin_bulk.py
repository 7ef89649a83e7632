"""Apply an adjustments file: members resolved here, rows applied by the points service in
slices, each slice with its own deadline, so a large file never rides one long call."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from gateway.edge.problems import ApiProblem
from gateway.points.admin_answers import BulkReportOut, RejectedRowOut
from gateway.points.admin_csv import CsvRow, RowProblem
from gateway.points.admin_members import resolve_members
from loyalty.points.v1 import points_pb2 as pb

if TYPE_CHECKING:
    from loyalty.member.v1.member_pb2_grpc import MemberServiceAsyncStub as MemberStub
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub as PointsStub

SLICE = 1000
SLICE_TIMEOUT_SECONDS = 60.0


def content_file_id(raw: bytes) -> str:
    """The file id of a file sent without one: its content, so the same file twice is
    applied once."""
    return "sha256-" + hashlib.sha256(raw).hexdigest()[:40]


async def adjust_from_file(
    points: PointsStub,
    members: MemberStub,
    *,
    tenant_id: str,
    actor: str,
    file_id: str,
    rows: list[CsvRow],
    problems: list[RowProblem],
) -> BulkReportOut:
    resolved = await resolve_members(members, tenant_id, (r.member_id for r in rows))
    rejected = [
        RejectedRowOut(row=p.row, member_id=p.member_id, reason=p.reason, code=p.code)
        for p in problems
    ]
    sendable: list[pb.BulkAdjustmentRow] = []
    for row in rows:
        member = resolved[row.member_id]
        if isinstance(member, ApiProblem):
            rejected.append(_rejected(row.row, row.member_id, member.detail, member.code))
            continue
        sendable.append(
            pb.BulkAdjustmentRow(
                row=row.row, member_id=member, points=row.points, reason=row.reason
            )
        )
    named = {row.row: row.member_id for row in rows}
    accepted = already_applied = 0
    for start in range(0, len(sendable), SLICE):
        request = pb.BulkAdjustPointsRequest(
            tenant_id=tenant_id, file_id=file_id, rows=sendable[start : start + SLICE], actor=actor
        )
        reply = await points.BulkAdjustPoints(request, timeout=SLICE_TIMEOUT_SECONDS)
        accepted += reply.accepted
        already_applied += reply.already_applied
        rejected.extend(_rejected(r.row, named[r.row], r.reason, r.code) for r in reply.rejected)
    return BulkReportOut(
        file_id=file_id,
        rows=len(rows) + len(problems),
        accepted=accepted,
        already_applied=already_applied,
        rejected=sorted(rejected, key=lambda r: r.row),
    )


def _rejected(row: int, member_id: str, reason: str, code: str) -> RejectedRowOut:
    return RejectedRowOut(row=row, member_id=member_id, reason=reason, code=code)
