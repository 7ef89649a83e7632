"""`/v1/members`: enrol, read and look up members (docs/api.md, Members)."""

from __future__ import annotations

from typing import Annotated

import grpc
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from grpc import aio

from gateway.access.auth import MembersReader, MembersWriter
from gateway.access.store_scope import check_enrolled_at_their_stores
from gateway.access.touchpoints import check_store_binding, resolve_channel, resolve_store
from gateway.clients import AppContainer, MemberClient
from gateway.edge.fields import LookupType
from gateway.edge.json_body import json_body, parse_body, read_json, top_level_str
from gateway.edge.languages import content_language
from gateway.edge.problems import problem_responses
from gateway.edge.rpc_errors import problem_from_rpc_error
from gateway.members.access import actor_of, may_read
from gateway.members.answers import MemberOut
from gateway.members.bodies import EnrollMemberBody
from gateway.members.translate import enroll_request, member_from_proto
from gateway.shared.code_uses import claim_code
from gateway.shared.tier_names import tier_names
from loyalty.member.v1 import member_pb2

router = APIRouter(prefix="/v1/members", tags=["members"])

MEMBER_NOT_FOUND = {grpc.StatusCode.NOT_FOUND: "member_not_found"}
MemberId = Annotated[str, Path(min_length=1, max_length=128)]
_UPSTREAM = (503, 504)


@router.post(
    "",
    status_code=201,
    response_model=MemberOut,
    summary="Enrol a member, or find the one already holding an identity",
    description=(
        "201 with the new member; 200 with the member already holding one of the "
        "identities (`created: false`), the other identities linked to them if free. Every "
        "identity linked records the channel, store and key that asserted it (operators "
        "see it on `GET /v1/members/{member_id}`, and the audit trail names the actor). A "
        "caller who may not read that member (a store manager, for a member enrolled at a "
        "store not theirs) gets the answer without personal data: `identities`, `profile` "
        "and `consents` empty."
    ),
    responses={
        200: {"model": MemberOut, "description": "An identity already belonged to a member"},
        **problem_responses(401, 403, 409, 413, 422, *_UPSTREAM),
    },
    openapi_extra=json_body(EnrollMemberBody),
)
async def enroll_member(
    request: Request, caller: MembersWriter, members: MemberClient
) -> JSONResponse:
    document = await read_json(request)
    check_store_binding(caller.bound_stores, top_level_str(document, "store_id"))
    body = parse_body(EnrollMemberBody, document)
    channel = resolve_channel(caller.channel, body.channel)
    store_id = resolve_store(channel, caller.bound_stores, body.store_id)
    rpc = enroll_request(body, tenant_id=caller.tenant_id, channel=channel, store_id=store_id)
    rpc.actor.CopyFrom(actor_of(caller, store_id))
    reply = await members.EnrollMember(rpc)
    member = member_from_proto(reply.member, created=reply.created)
    if not may_read(caller, reply.member):
        member = member.without_personal_data()
    return JSONResponse(member.to_json(), status_code=201 if reply.created else 200)


@router.get(
    "/lookup",
    response_model=MemberOut,
    summary="The member holding an identity, or named by a member code",
    description=(
        "`type` is an identity type, or `code` with a code from "
        "`GET /v1/members/{member_id}/code` as `value`. A code serves the first caller "
        "that uses it (here, or naming the member of an order, a cart or a coupon): a code "
        "used by another caller, expired (after 60 seconds), forged or of another tenant is "
        "404 `member_not_found`, like an identity nobody holds."
    ),
    responses=problem_responses(401, 403, 404, 422, *_UPSTREAM),
)
async def lookup_member(
    caller: MembersReader,
    members: MemberClient,
    container: AppContainer,
    type: Annotated[LookupType, Query()],
    value: Annotated[str, Query(min_length=1, max_length=256)],
) -> JSONResponse:
    rpc = member_pb2.LookupMemberRequest(
        tenant_id=caller.tenant_id, identity=member_pb2.Identity(type=type, value=value)
    )
    try:
        reply = await members.LookupMember(rpc)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, MEMBER_NOT_FOUND) from None
    check_enrolled_at_their_stores(caller, reply.member)
    if type == "code":
        await claim_code(container.code_uses, caller, value)
    return JSONResponse(member_from_proto(reply.member).to_json())


@router.get(
    "/{member_id}",
    response_model=MemberOut,
    summary="A member of the caller's tenant",
    responses=problem_responses(401, 403, 404, 422, *_UPSTREAM),
)
async def get_member(
    request: Request, caller: MembersReader, members: MemberClient, member_id: MemberId
) -> JSONResponse:
    rpc = member_pb2.GetMemberRequest(tenant_id=caller.tenant_id, member_id=member_id)
    try:
        reply = await members.GetMember(rpc)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, MEMBER_NOT_FOUND) from None
    operator = caller.channel == "operator"
    locale, names = await tier_names(request, caller.tenant_id, members)
    member = member_from_proto(reply.member, provenance=operator, tier_names=names)
    answer = JSONResponse(member.to_json())
    content_language(answer, locale)
    return answer
