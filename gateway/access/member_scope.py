"""A member token acts for its own member only; app and mini-program keys need one.

A member token (`gateway.tenancy.member_sessions`) reaches only the rows of the permission
matrix that name `member` (the others answered 403 before this), and on those the path's
`member_id` must be its member, or the member its member was merged into: any other
member answers 404, as an unknown one would (existence is not revealed).

An `app` or `miniprogram` key on those same rows acts for whichever member the path names:
since member sessions that is refused (403 `member_token_required`) unless the tenant keeps
the legacy key access (`member_sessions.legacy_key_access` in its policy), and each use of
it is logged. See docs/security.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import grpc
from fastapi import Request
from grpc import aio

from gateway.access.permissions import MEMBER, SELF_SERVICE, Matrix, principal_of, rule_for
from gateway.edge.problems import ApiProblem
from gateway.edge.routing import route_template
from gateway.tenancy.keys import ApiKey
from gateway.tenancy.policies import TenantPolicies
from libs.logging import get_logger
from loyalty.member.v1 import member_pb2

if TYPE_CHECKING:
    from loyalty.member.v1.member_pb2_grpc import MemberServiceAsyncStub

log = get_logger(__name__)
MERGE_HOPS = 4  # a member merged into one later merged again, and so on


def is_self_service(matrix: Matrix, request: Request) -> bool:
    """Whether a member token may call this route: it names a member and its row names `member`."""
    template = route_template(request.scope) or request.url.path
    rule = rule_for(matrix, request.method, template)
    return rule is not None and MEMBER in rule.allowed and "member_id" in request.path_params


def not_this_member() -> ApiProblem:
    return ApiProblem(404, "member_not_found", "no such member")


async def check_member_scope(
    request: Request, policies: TenantPolicies, members: MemberServiceAsyncStub, caller: ApiKey
) -> None:
    """After the permission row (403): a member token's own member (else 404); an app or
    mini-program key on the member's own routes only where the tenant keeps the legacy access."""
    principal = principal_of(caller)
    if principal != MEMBER and principal not in SELF_SERVICE:
        return
    if not is_self_service(request.app.state.matrix, request):
        return
    if caller.member_id is not None:
        await check_own_member(members, caller, str(request.path_params["member_id"]))
        return
    policy = await policies.policy(caller.tenant_id)
    if not policy.member_sessions.legacy_key_access:
        raise ApiProblem(
            403,
            "member_token_required",
            f"a {principal} key acts for a member only with that member's token: "
            "POST /v1/members/{member_id}/sessions from the brand's backend",
        )
    log.warning(
        "legacy_member_key_access_used",
        tenant_id=caller.tenant_id,
        key_id=caller.key_id,
        channel=caller.channel,
        path=route_template(request.scope),
    )


async def check_own_member(members: MemberServiceAsyncStub, caller: ApiKey, member_id: str) -> None:
    """The token's member, or the member it was merged into (following merges), else 404."""
    current = caller.member_id
    for _ in range(MERGE_HOPS):
        if current == member_id:
            return
        if not current:
            break
        current = await _merged_into(members, caller.tenant_id, current)
    raise not_this_member()


async def _merged_into(members: MemberServiceAsyncStub, tenant_id: str, member_id: str) -> str:
    rpc = member_pb2.GetMemberRequest(tenant_id=tenant_id, member_id=member_id)
    try:
        reply = await members.GetMember(rpc)
    except aio.AioRpcError as err:
        if err.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT):
            return ""
        raise
    return reply.member.merged_into if reply.member.status == "merged" else ""
