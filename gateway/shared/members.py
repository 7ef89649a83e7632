"""Who a purchase, redemption or balance read is for, asked of the member service, and
what the points service needs to know of that member."""

from __future__ import annotations

from typing import TYPE_CHECKING

import grpc
from grpc import aio

from gateway.edge.problems import ApiProblem
from gateway.edge.rpc_errors import problem_from_rpc_error
from gateway.shared.purchases import TillIdentity
from loyalty.member.v1 import member_pb2
from loyalty.points.v1 import points_pb2 as pb

if TYPE_CHECKING:
    from loyalty.member.v1.member_pb2_grpc import MemberServiceAsyncStub as MemberStub

NEUTRAL_MULTIPLIER = "1"


def member_context(member: member_pb2.Member) -> pb.MemberContext:
    """What the points service needs of the member; no tier earns at the neutral rate."""
    tier = member.tier
    context = pb.MemberContext(
        member_id=member.member_id,
        tier_code=tier.code,
        tier_name=tier.name,
        tier_multiplier=tier.multiplier or NEUTRAL_MULTIPLIER,
    )
    if member.HasField("enrolled_at"):
        context.enrolled_at.CopyFrom(member.enrolled_at)
    context.birth_month = birth_month(member.profile.birthday)
    return context


def birth_month(birthday: str) -> int:
    """1-12 from the profile's ISO date (YYYY-MM-DD); 0 when unknown."""
    month = birthday[5:7] if len(birthday) == 10 else ""
    return int(month) if month.isdigit() and 1 <= int(month) <= 12 else 0


def survivor_of(member_id: str, status: str, merged_into: str) -> str | None:
    """None for an active member; the survivor's id for a merged one; else 409.

    Orders and redemptions naming a merged member act for the member it was merged into,
    where its points and orders went; an erased member can do neither.
    """
    if status == "active":
        return None
    if status == "merged" and merged_into:
        return merged_into
    raise ApiProblem(409, "member_not_active", f"member {member_id} is {status or 'not active'}")


MEMBER_NOT_FOUND = {grpc.StatusCode.NOT_FOUND: "member_not_found"}


# A survivor merged again is followed too; a longer chain means the data is broken.
MAX_MERGE_HOPS = 3


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


async def _member_holding(
    members: MemberStub, tenant_id: str, identity: TillIdentity
) -> member_pb2.Member:
    request = member_pb2.LookupMemberRequest(
        tenant_id=tenant_id, identity=member_pb2.Identity(type=identity.type, value=identity.value)
    )
    try:
        reply = await members.LookupMember(request)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, MEMBER_NOT_FOUND) from None
    return reply.member


async def active_member(
    members: MemberStub,
    tenant_id: str,
    *,
    member_id: str | None = None,
    identity: TillIdentity | None = None,
) -> member_pb2.Member:
    """The active member named by id or identity, following merges (see `survivor_of`)."""
    if identity is not None:
        member = await _member_holding(members, tenant_id, identity)
    else:
        member = await member_in_tenant(members, tenant_id, member_id or "")
    for _ in range(MAX_MERGE_HOPS + 1):
        survivor = survivor_of(member.member_id, member.status, member.merged_into)
        if survivor is None:
            return member
        member = await member_in_tenant(members, tenant_id, survivor)
    raise ApiProblem(409, "member_not_active", f"member {member.member_id} was merged too often")
