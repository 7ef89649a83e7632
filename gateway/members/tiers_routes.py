"""`/v1/admin/tier-program` and an operator's manual tier for a member (operator keys)."""

from __future__ import annotations

import grpc
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from google.protobuf.timestamp_pb2 import Timestamp
from grpc import aio

from gateway.clients import MemberClient
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.params import MEMBER_NOT_FOUND, MemberId
from gateway.edge.problems import problem_responses
from gateway.edge.rpc_errors import problem_from_rpc_error
from gateway.members.access import MemberOperator, actor_of
from gateway.members.answers import MemberOut
from gateway.members.tier_answers import TierProgramOut
from gateway.members.tier_bodies import ManualTierBody, TierProgramBody
from gateway.members.tier_translate import program_from_proto, program_to_proto
from gateway.members.translate import member_from_proto
from gateway.shared.languages import answer_language
from loyalty.member.v1 import member_pb2

router = APIRouter(prefix="/v1/admin", tags=["admin: members"])
PROGRAM_NOT_FOUND = {grpc.StatusCode.NOT_FOUND: "tier_program_not_found"}


@router.put(
    "/tier-program",
    response_model=TierProgramOut,
    summary="Set the tenant's tier program (a new version)",
    responses=problem_responses(401, 403, 413, 422, 503, 504),
    openapi_extra=json_body(TierProgramBody),
)
async def put_tier_program(
    request: Request, response: Response, caller: MemberOperator, members: MemberClient
) -> TierProgramOut:
    body = parse_body(TierProgramBody, await read_json(request))
    rpc = member_pb2.PutTierProgramRequest(
        tenant_id=caller.tenant_id, program=program_to_proto(body)
    )
    reply = await members.PutTierProgram(rpc)
    locale = await answer_language(request, response, caller.tenant_id)
    return program_from_proto(reply.program, locale)


@router.get(
    "/tier-program",
    response_model=TierProgramOut,
    summary="The tenant's tier program",
    responses=problem_responses(401, 403, 404, 503, 504),
)
async def get_tier_program(
    request: Request, response: Response, caller: MemberOperator, members: MemberClient
) -> TierProgramOut:
    try:
        reply = await members.GetTierProgram(
            member_pb2.GetTierProgramRequest(tenant_id=caller.tenant_id)
        )
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, PROGRAM_NOT_FOUND) from None
    locale = await answer_language(request, response, caller.tenant_id)
    return program_from_proto(reply.program, locale)


@router.put(
    "/members/{member_id}/tier",
    response_model=MemberOut,
    summary="Give a member a tier until a date, with a reason",
    description=(
        "The tier holds until `until` whatever the member qualifies for (an upgrade "
        "above it still happens), then reverts to the tier held before. Kept in the tier "
        "history with the reason; publishes `member.tier_changed` when the tier moves."
    ),
    responses=problem_responses(401, 403, 404, 409, 413, 422, 503, 504),
    openapi_extra=json_body(ManualTierBody),
)
async def set_manual_tier(
    request: Request, caller: MemberOperator, members: MemberClient, member_id: MemberId
) -> JSONResponse:
    body = parse_body(ManualTierBody, await read_json(request))
    until = Timestamp()
    until.FromDatetime(body.until)
    rpc = member_pb2.SetManualTierRequest(
        tenant_id=caller.tenant_id,
        member_id=member_id,
        tier_code=body.tier,
        reason=body.reason,
        until=until,
        actor=actor_of(caller),
    )
    try:
        reply = await members.SetManualTier(rpc)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, MEMBER_NOT_FOUND) from None
    return JSONResponse(member_from_proto(reply.member).to_json())
