"""Between the operators' points JSON and the protobuf messages of PointsService."""

from __future__ import annotations

from gateway.points.admin_answers import AdjustmentOut, RedemptionRecordOut, TransferOut
from gateway.points.admin_bodies import AdjustmentBody, MemberTransferBody
from gateway.shared.translate import balance_from_proto
from libs.timestamps import aware, optional_datetime
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
        created_at=aware(created) if created is not None else None,
        balance=balance_from_proto(reply.balance),
    )


def transfer_request(
    body: MemberTransferBody, *, tenant_id: str, sender: str, receiver: str, actor: str
) -> pb.TransferPointsRequest:
    return pb.TransferPointsRequest(
        tenant_id=tenant_id,
        transfer_id=body.transfer_id,
        from_member_id=sender,
        to_member_id=receiver,
        points=body.points,
        reason=body.reason or "",
        actor=actor,
    )


def transfer_from_proto(reply: pb.TransferPointsResponse) -> TransferOut:
    transfer = reply.transfer
    created = transfer.created_at if transfer.HasField("created_at") else None
    return TransferOut(
        transfer_id=transfer.transfer_id,
        from_member_id=transfer.from_member_id,
        to_member_id=transfer.to_member_id,
        points=transfer.points,
        reason=transfer.reason,
        out_entry_id=transfer.out_entry_id,
        in_entry_id=transfer.in_entry_id,
        created_at=aware(created) if created is not None else None,
        from_balance=balance_from_proto(reply.from_balance),
        to_balance=balance_from_proto(reply.to_balance),
    )


def redemption_record(r: pb.Redemption) -> RedemptionRecordOut:
    return RedemptionRecordOut(
        redemption_id=r.redemption_id,
        member_id=r.member_id,
        status=r.status,
        points=r.points,
        order_id=r.order_id or None,
        channel=r.channel or None,
        store_id=r.store_id or None,
        created_at=optional_datetime(r, "created_at"),
        expires_at=optional_datetime(r, "expires_at"),
    )
