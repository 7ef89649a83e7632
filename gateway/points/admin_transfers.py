"""A transfer between two members, whoever asks for it: both must be members of the
caller's tenant (404 otherwise), merged members act through their survivors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi.responses import JSONResponse

from gateway.points.admin_access import actor_of
from gateway.points.admin_bodies import MemberTransferBody
from gateway.points.admin_translate import transfer_from_proto, transfer_request
from gateway.shared.members import active_member
from gateway.tenancy.keys import ApiKey

if TYPE_CHECKING:
    from loyalty.member.v1.member_pb2_grpc import MemberServiceAsyncStub as MemberStub
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub as PointsStub


async def make_transfer(
    points: PointsStub,
    members: MemberStub,
    caller: ApiKey,
    body: MemberTransferBody,
    sender_id: str,
) -> JSONResponse:
    """201 with the transfer; 200 with the first answer when the transfer id was seen."""
    tenant_id = caller.tenant_id
    sender = await active_member(members, tenant_id, member_id=sender_id)
    receiver = await active_member(members, tenant_id, member_id=body.to_member_id)
    rpc = transfer_request(
        body,
        tenant_id=tenant_id,
        sender=sender.member_id,
        receiver=receiver.member_id,
        actor=actor_of(caller),
    )
    reply = await points.TransferPoints(rpc)
    answer = transfer_from_proto(reply).model_dump(mode="json")
    return JSONResponse(answer, status_code=200 if reply.replayed else 201)
