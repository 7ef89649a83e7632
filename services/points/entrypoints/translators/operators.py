"""Between protobuf messages and the operators' handlers: translation only, no rules."""

from __future__ import annotations

from libs.timestamps import timestamp
from loyalty.points.v1 import points_pb2 as pb
from services.points.adapters.messages import balance_message
from services.points.domain.bulk import BulkReport, BulkRow
from services.points.handlers.adjustments import AdjustmentAnswer, AdjustPoints
from services.points.handlers.bulk_adjustments import BulkAdjust
from services.points.handlers.grants import GrantAnswer, GrantPoints
from services.points.handlers.transfers import TransferAnswer, TransferPoints


def adjust_command(request: pb.AdjustPointsRequest) -> AdjustPoints:
    return AdjustPoints(
        tenant_id=request.tenant_id,
        adjustment_id=request.adjustment_id,
        member_id=request.member_id,
        points=request.points,
        reason=request.reason,
        actor=request.actor,
    )


def adjustment_response(answer: AdjustmentAnswer) -> pb.AdjustPointsResponse:
    record = answer.record
    return pb.AdjustPointsResponse(
        adjustment=pb.Adjustment(
            adjustment_id=record.adjustment_id,
            member_id=record.member_id,
            points=record.points,
            reason=record.reason,
            actor=record.actor,
            entry_id=record.entry_id,
            created_at=timestamp(record.created_at),
        ),
        balance=balance_message(record.balance),
        replayed=answer.replayed,
    )


def bulk_command(request: pb.BulkAdjustPointsRequest) -> BulkAdjust:
    return BulkAdjust(
        tenant_id=request.tenant_id,
        file_id=request.file_id,
        rows=[BulkRow(r.row, r.member_id, r.points, r.reason) for r in request.rows],
        actor=request.actor,
    )


def bulk_response(report: BulkReport) -> pb.BulkAdjustPointsResponse:
    return pb.BulkAdjustPointsResponse(
        accepted=report.accepted,
        already_applied=report.already_applied,
        rejected=[
            pb.RejectedRow(row=r.row, member_id=r.member_id, reason=r.reason, code=r.code)
            for r in report.rejected
        ],
    )


def transfer_command(request: pb.TransferPointsRequest) -> TransferPoints:
    return TransferPoints(
        tenant_id=request.tenant_id,
        transfer_id=request.transfer_id,
        from_member_id=request.from_member_id,
        to_member_id=request.to_member_id,
        points=request.points,
        reason=request.reason,
        actor=request.actor,
    )


def transfer_response(answer: TransferAnswer) -> pb.TransferPointsResponse:
    record = answer.record
    return pb.TransferPointsResponse(
        transfer=pb.Transfer(
            transfer_id=record.transfer_id,
            from_member_id=record.from_member_id,
            to_member_id=record.to_member_id,
            points=record.points,
            reason=record.reason,
            actor=record.actor,
            out_entry_id=record.out_entry_id,
            in_entry_id=record.in_entry_id,
            created_at=timestamp(record.created_at),
        ),
        from_balance=balance_message(record.from_balance),
        to_balance=balance_message(record.to_balance),
        replayed=answer.replayed,
    )


def grant_command(request: pb.GrantPointsRequest) -> GrantPoints:
    return GrantPoints(
        tenant_id=request.tenant_id,
        member_id=request.member_id,
        grant_key=request.grant_key,
        points=request.points,
        campaign_id=request.campaign_id,
        campaign_version=request.campaign_version,
        reason=request.reason,
        order_id=request.order_id,
        reason_code=request.reason_code,
        reason_params=tuple(sorted(request.reason_params.items())),
    )


def grant_response(answer: GrantAnswer) -> pb.GrantPointsResponse:
    record = answer.record
    return pb.GrantPointsResponse(
        grant_key=record.grant_key,
        member_id=record.member_id,
        points=record.points,
        entry_id=record.entry_id,
        balance=balance_message(record.balance),
        replayed=answer.replayed,
    )
