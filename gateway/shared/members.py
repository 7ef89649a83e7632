"""Who a purchase, redemption or balance read is for, asked of the member service, and
what the points service needs to know of that member."""

from __future__ import annotations

from typing import TYPE_CHECKING

import grpc
from grpc import aio

from gateway.edge.rpc_errors import problem_from_rpc_error
from gateway.shared.purchases import TillIdentity
from loyalty.member.v1 import member_pb2
from loyalty.points.v1 import points_pb2 as pb

if TYPE_CHECKING:
    from loyalty.member.v1.member_pb2_grpc import MemberServiceAsyncStub as MemberStub

NEUTRAL_MULTIPLIER = "1"


def member_context(member: member_pb2.ResolveMemberResponse) -> pb.MemberContext:
    """What the points service needs of the member; no tier earns at the neutral rate."""
    tier = member.tier
    context = pb.MemberContext(
        member_id=member.member_id,
        tier_code=tier.code,
        tier_name=tier.name,
        tier_multiplier=tier.multiplier or NEUTRAL_MULTIPLIER,
        birth_month=member.birth_month,
        tier_name_translations=member.tier_name_translations,
    )
    if member.HasField("enrolled_at"):
        context.enrolled_at.CopyFrom(member.enrolled_at)
    return context


MEMBER_NOT_FOUND = {grpc.StatusCode.NOT_FOUND: "member_not_found"}


async def member_in_tenant(
    members: MemberStub, tenant_id: str, member_id: str
) -> member_pb2.Member:
    """The member, whatever its status; 404 when the caller's tenant has none by that id."""
    request = member_pb2.GetMemberRequest(tenant_id=tenant_id, member_id=member_id)
    try:
        reply = await members.GetMember(request)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, MEMBER_NOT_FOUND) from None
    return reply.member


async def active_member(
    members: MemberStub,
    tenant_id: str,
    *,
    member_id: str | None = None,
    identity: TillIdentity | None = None,
) -> member_pb2.ResolveMemberResponse:
    """The active member named by id or identity; the member service follows merges to the
    member holding the wallet now (an erased member: 409 member_not_active)."""
    request = member_pb2.ResolveMemberRequest(tenant_id=tenant_id)
    if identity is not None:
        request.identity.CopyFrom(member_pb2.Identity(type=identity.type, value=identity.value))
    else:
        request.member_id = member_id or ""
    try:
        return await members.ResolveMember(request)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, MEMBER_NOT_FOUND) from None
