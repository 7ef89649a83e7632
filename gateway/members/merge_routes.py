"""`POST /v1/members/merge` (operators) and `GET /v1/members/{id}/tier-progress`."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from grpc import aio

from gateway.access.auth import MembersReader
from gateway.clients import MemberClient
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.languages import content_language
from gateway.edge.params import MEMBER_NOT_FOUND, MemberId
from gateway.edge.problems import problem_responses
from gateway.edge.rpc_errors import problem_from_rpc_error
from gateway.members.access import MemberOperator, actor_of
from gateway.members.answers import MemberOut
from gateway.members.merge_bodies import MergeMembersBody
from gateway.members.translate import member_from_proto
from gateway.shared.answers import TierProgressOut
from gateway.shared.tier_names import tier_names
from gateway.shared.translate import progress_from_proto
from loyalty.member.v1 import member_pb2

router = APIRouter(prefix="/v1/members", tags=["members"])
_UPSTREAM = (503, 504)


@router.post(
    "/merge",
    response_model=MemberOut,
    summary="Merge two members found to be one person (operators); the survivor answers",
    description=(
        "In one step: the merged member's identities move to the survivor (looking one up "
        "finds the survivor), consents merge with a refusal beating a grant, and profile "
        "fields the survivor lacks are filled. The merged member then answers "
        '`status: "merged"` with `merged_into`. Points (lots keep their expiry), holds, '
        "orders and returns follow within moments, and the survivor's tier is re-evaluated "
        "on the combined purchases. Merging the same pair again answers the survivor and "
        "changes nothing. 404 `member_not_found` for a member not in the caller's tenant; "
        "422 `merge_same_member`; 409 `member_not_active` or `already_merged`."
    ),
    responses=problem_responses(401, 403, 404, 409, 413, 422, *_UPSTREAM),
    openapi_extra=json_body(MergeMembersBody),
)
async def merge_members(
    request: Request, caller: MemberOperator, members: MemberClient
) -> JSONResponse:
    body = parse_body(MergeMembersBody, await read_json(request))
    rpc = member_pb2.MergeMembersRequest(
        tenant_id=caller.tenant_id,
        survivor_id=body.survivor_id,
        merged_id=body.merged_id,
        actor=actor_of(caller),
    )
    try:
        reply = await members.MergeMembers(rpc)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, MEMBER_NOT_FOUND) from None
    return JSONResponse(member_from_proto(reply.survivor).to_json())


@router.get(
    "/{member_id}/tier-progress",
    response_model=TierProgressOut,
    summary="The member's tier, the next one, and what it still takes by when",
    responses=problem_responses(401, 403, 404, 409, *_UPSTREAM),
)
async def tier_progress(
    request: Request,
    response: Response,
    caller: MembersReader,
    members: MemberClient,
    member_id: MemberId,
) -> TierProgressOut:
    rpc = member_pb2.GetTierProgressRequest(tenant_id=caller.tenant_id, member_id=member_id)
    try:
        reply = await members.GetTierProgress(rpc)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, MEMBER_NOT_FOUND) from None
    locale, names = await tier_names(request, caller.tenant_id, members)
    content_language(response, locale)
    return progress_from_proto(reply.progress, names)
