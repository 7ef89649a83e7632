"""Profile and consent changes of a member (additions to docs/api.md)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from grpc import aio

from gateway.access.auth import MembersWriter
from gateway.access.touchpoints import resolve_channel
from gateway.clients import MemberClient
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.params import MEMBER_NOT_FOUND, MemberId
from gateway.edge.problems import problem_responses
from gateway.edge.rpc_errors import problem_from_rpc_error
from gateway.members.access import actor_of
from gateway.members.answers import MemberOut
from gateway.members.profile_bodies import ConsentsBody, ProfilePatchBody
from gateway.members.profile_translate import profile_patch_request
from gateway.members.translate import member_from_proto
from loyalty.member.v1 import member_pb2

router = APIRouter(prefix="/v1/members", tags=["members"])

_PROBLEMS = problem_responses(401, 403, 404, 409, 413, 422, 503, 504)


@router.patch(
    "/{member_id}/profile",
    response_model=MemberOut,
    summary="Change a member's profile (a JSON merge patch)",
    description=(
        "Only the fields given change; `null` clears one. An attribute the tenant's schema "
        "does not name, or of the wrong type, is 422 and changes nothing. The change is "
        "audited with the names of the fields that changed, never their values. 409 "
        "`member_not_active` for a merged or erased member."
    ),
    responses=_PROBLEMS,
    openapi_extra=json_body(ProfilePatchBody),
)
async def update_profile(
    request: Request, caller: MembersWriter, members: MemberClient, member_id: MemberId
) -> JSONResponse:
    body = parse_body(ProfilePatchBody, await read_json(request))
    rpc = profile_patch_request(
        body, tenant_id=caller.tenant_id, member_id=member_id, actor=actor_of(caller)
    )
    try:
        reply = await members.UpdateProfile(rpc)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, MEMBER_NOT_FOUND) from None
    return JSONResponse(member_from_proto(reply.member).to_json())


@router.put(
    "/{member_id}/consents",
    response_model=MemberOut,
    summary="Record what a member consents to, per purpose",
    description=(
        "Purposes not named keep their state. Every purpose named is kept in the consent "
        "history (see the export) with the channel, time and source of the change."
    ),
    responses=_PROBLEMS,
    openapi_extra=json_body(ConsentsBody),
)
async def update_consents(
    request: Request, caller: MembersWriter, members: MemberClient, member_id: MemberId
) -> JSONResponse:
    body = parse_body(ConsentsBody, await read_json(request))
    channel = resolve_channel(caller.channel, body.channel)
    rpc = member_pb2.UpdateConsentsRequest(
        tenant_id=caller.tenant_id,
        member_id=member_id,
        consents={str(purpose): granted for purpose, granted in body.consents.items()},
        channel=channel,
        source=body.source or "api",
        actor=actor_of(caller),
    )
    try:
        reply = await members.UpdateConsents(rpc)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, MEMBER_NOT_FOUND) from None
    return JSONResponse(member_from_proto(reply.member).to_json())
