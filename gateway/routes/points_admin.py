"""`/v1/admin/...points...`: operators adjust, transfer and reconcile points."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from gateway.bodies import parse_body, read_json
from gateway.deps import MemberClient, PointsClient
from gateway.openapi import json_body
from gateway.points.admin_access import PointsOperator, actor_of
from gateway.points.admin_answers import AdjustmentOut
from gateway.points.admin_bodies import AdjustmentBody
from gateway.points.admin_translate import adjust_request, adjustment_from_proto
from gateway.points.members import active_member
from gateway.problems import problem_responses

router = APIRouter(prefix="/v1/admin", tags=["admin: points"])

MemberId = Annotated[str, Path(min_length=1, max_length=128)]
_UPSTREAM = (503, 504)


def _created_unless(replayed: bool) -> int:
    return 200 if replayed else 201


@router.post(
    "/members/{member_id}/points/adjustments",
    status_code=201,
    response_model=AdjustmentOut,
    summary="Credit or debit a member's points, with a reason",
    description=(
        "A debit never takes `available` below zero (409 `insufficient_points`) unless the "
        "tenant's points settings allow adjustment debt. A merged member's adjustment goes "
        "to the member it was merged into."
    ),
    responses={
        200: {"model": AdjustmentOut, "description": "Seen before: the first answer"},
        **problem_responses(401, 403, 404, 409, 413, 422, *_UPSTREAM),
    },
    openapi_extra=json_body(AdjustmentBody),
)
async def adjust_points(
    request: Request,
    caller: PointsOperator,
    members: MemberClient,
    points: PointsClient,
    member_id: MemberId,
) -> JSONResponse:
    body = parse_body(AdjustmentBody, await read_json(request))
    member = await active_member(members, caller.tenant_id, member_id=member_id)
    rpc = adjust_request(
        body, tenant_id=caller.tenant_id, member_id=member.member_id, actor=actor_of(caller)
    )
    reply = await points.AdjustPoints(rpc)
    answer = adjustment_from_proto(reply).model_dump(mode="json")
    return JSONResponse(answer, status_code=_created_unless(reply.replayed))
