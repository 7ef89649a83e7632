"""Between the operators' points JSON and the protobuf messages of PointsService."""

from __future__ import annotations

from gateway.members.translate import timestamp_to_datetime
from gateway.points.admin_answers import AdjustmentOut
from gateway.points.admin_bodies import AdjustmentBody
from gateway.points.translate import balance_from_proto
from loyalty.points.v1 import points_pb2 as pb


def adjust_request(
    body: AdjustmentBody, *, tenant_id: str, member_id: str, actor: str
) -> pb.AdjustPointsRequest:
    return pb.AdjustPointsRequest(
        tenant_id=tenant_id,
        member_id=member_id,
        adjustment_id=body.adjustment_id,
        points=body.points,
        reason=body.reason,
        actor=actor,
    )


def adjustment_from_proto(reply: pb.AdjustPointsResponse) -> AdjustmentOut:
    adjustment = reply.adjustment
    created = adjustment.created_at if adjustment.HasField("created_at") else None
    return AdjustmentOut(
        adjustment_id=adjustment.adjustment_id,
        member_id=adjustment.member_id,
        points=adjustment.points,
        reason=adjustment.reason,
        entry_id=adjustment.entry_id,
        created_at=timestamp_to_datetime(created) if created is not None else None,
        balance=balance_from_proto(reply.balance),
    )
