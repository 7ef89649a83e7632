"""`/v1/members/{id}/identities`: link and unlink channel identities (docs/api.md, Members)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse
from grpc import aio

from gateway.access.auth import MembersWriter
from gateway.clients import MemberClient
from gateway.edge.fields import IdentityType
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.params import MEMBER_NOT_FOUND, MemberId
from gateway.edge.problems import problem_responses
from gateway.edge.rpc_errors import problem_from_rpc_error
from gateway.members.access import actor_of
from gateway.members.answers import MemberOut
from gateway.members.bodies import Identity
from gateway.members.translate import member_from_proto
from loyalty.member.v1 import member_pb2

router = APIRouter(prefix="/v1/members", tags=["members"])

_UPSTREAM = (503, 504)


@router.post(
    "/{member_id}/identities",
    status_code=201,
    response_model=MemberOut,
    summary="Link a channel identity to a member",
    description=(
        "201 with the member when linked; 200 when the member already held it. A member "
        "may hold several identities of one type. 409 `identity_taken` when another "
        "member holds it; 409 `member_not_active` for a merged or erased member."
    ),
    responses={
        200: {"model": MemberOut, "description": "The member already held this identity"},
        **problem_responses(401, 403, 404, 409, 413, 422, *_UPSTREAM),
    },
    openapi_extra=json_body(Identity),
)
async def link_identity(
    request: Request, caller: MembersWriter, members: MemberClient, member_id: MemberId
) -> JSONResponse:
    body = parse_body(Identity, await read_json(request))
    rpc = member_pb2.LinkIdentityRequest(
        tenant_id=caller.tenant_id,
        member_id=member_id,
        identity=member_pb2.Identity(type=body.type, value=body.value),
        actor=actor_of(caller),
    )
    try:
        reply = await members.LinkIdentity(rpc)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, MEMBER_NOT_FOUND) from None
    member = member_from_proto(reply.member).to_json()
    return JSONResponse(member, status_code=201 if reply.linked else 200)


@router.delete(
    "/{member_id}/identities/{type}/{value}",
    response_model=MemberOut,
    summary="Unlink a channel identity from a member",
    description=(
        "The value is normalised as on enrolment (a phone may be given without its "
        "country code). 404 `identity_not_found` when the member does not hold it; 409 "
        "`last_identity` for the member's only identity (link another first)."
    ),
    responses=problem_responses(401, 403, 404, 409, 422, *_UPSTREAM),
)
async def unlink_identity(
    caller: MembersWriter,
    members: MemberClient,
    member_id: MemberId,
    type: IdentityType,
    value: Annotated[str, Path(min_length=1, max_length=256)],
) -> JSONResponse:
    rpc = member_pb2.UnlinkIdentityRequest(
        tenant_id=caller.tenant_id,
        member_id=member_id,
        identity=member_pb2.Identity(type=type, value=value),
        actor=actor_of(caller),
    )
    try:
        reply = await members.UnlinkIdentity(rpc)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, MEMBER_NOT_FOUND) from None
    return JSONResponse(member_from_proto(reply.member).to_json())
