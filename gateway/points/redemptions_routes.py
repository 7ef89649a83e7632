"""`/v1/redemptions`: hold points at checkout, then capture or cancel (docs/api.md, Redemptions)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import grpc
from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse
from grpc import aio

from gateway.access.touchpoints import check_store_binding, touchpoint
from gateway.clients import MemberClient, PointsClient
from gateway.edge.json_body import json_body, parse_body, read_json, top_level_str
from gateway.edge.problems import problem_responses
from gateway.edge.rpc_errors import problem_from_rpc_error
from gateway.points.access import PointsWriter
from gateway.points.answers import RedemptionOut
from gateway.points.bodies import RedemptionBody
from gateway.points.reversal import may_reverse_any
from gateway.points.translate import actor_of, hold_request, own_store, redemption_from_proto
from gateway.shared.members import active_member
from gateway.tenancy.keys import ApiKey
from loyalty.points.v1 import points_pb2

router = APIRouter(prefix="/v1/redemptions", tags=["redemptions"])

REDEMPTION_NOT_FOUND = {grpc.StatusCode.NOT_FOUND: "redemption_not_found"}
RedemptionId = Annotated[str, Path(min_length=1, max_length=128)]
_UPSTREAM = (503, 504)


@router.post(
    "",
    status_code=201,
    response_model=RedemptionOut,
    summary="Hold points for a checkout, or redeem them at once with `capture`",
    responses=problem_responses(401, 403, 404, 409, 413, 422, *_UPSTREAM),
    openapi_extra=json_body(RedemptionBody),
)
async def hold_points(
    request: Request, caller: PointsWriter, members: MemberClient, points: PointsClient
) -> JSONResponse:
    document = await read_json(request)
    check_store_binding(caller.bound_stores, top_level_str(document, "store_id"))
    body = parse_body(RedemptionBody, document)
    at = touchpoint(caller, body.channel, body.store_id)
    member = await active_member(members, caller.tenant_id, member_id=body.member_id)
    rpc = hold_request(
        body,
        tenant_id=caller.tenant_id,
        at=at,
        member_id=member.member_id,
        key_id=caller.key_id,
    )
    reply = await points.HoldPoints(rpc)
    return JSONResponse(redemption_from_proto(reply).model_dump(mode="json"), status_code=201)


def cancel_request(
    caller: ApiKey, redemption_id: str, *, may_reverse_any: bool
) -> points_pb2.CancelRedemptionRequest:
    """A cancel by this caller: the points service refuses to reverse a captured redemption
    for another channel or store unless `may_reverse_any`, and records who cancelled."""
    return points_pb2.CancelRedemptionRequest(
        tenant_id=caller.tenant_id,
        redemption_id=redemption_id,
        store_id=caller.store_id or "",
        store_ids=caller.stores,
        actor=actor_of(caller, own_store(caller)),
        may_reverse_any=may_reverse_any,
    )


async def redemption_step(
    step: Callable[
        [Any],
        Awaitable[points_pb2.CaptureRedemptionResponse | points_pb2.CancelRedemptionResponse],
    ],
    request: Any,
) -> JSONResponse:
    """Capture or cancel: 200 with the redemption, the same answer when repeated."""
    try:
        reply = await step(request)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, REDEMPTION_NOT_FOUND) from None
    return JSONResponse(redemption_from_proto(reply).model_dump(mode="json"))


@router.post(
    "/{redemption_id}/capture",
    response_model=RedemptionOut,
    summary="Capture a held redemption (again: the same answer)",
    description="A caller bound to stores may capture only what was held at one of them (403).",
    responses=problem_responses(401, 403, 404, 409, 422, *_UPSTREAM),
)
async def capture_redemption(
    caller: PointsWriter, points: PointsClient, redemption_id: RedemptionId
) -> JSONResponse:
    rpc = points_pb2.CaptureRedemptionRequest(
        tenant_id=caller.tenant_id,
        redemption_id=redemption_id,
        store_id=caller.store_id or "",
        store_ids=caller.stores,
    )
    return await redemption_step(points.CaptureRedemption, rpc)


@router.post(
    "/{redemption_id}/cancel",
    response_model=RedemptionOut,
    summary="Release a hold, or reverse a captured redemption (again: the same answer)",
    description=(
        "A caller bound to stores may cancel only what was held at one of them (403). A "
        "captured redemption is reversed only by the channel that captured it, and by its "
        "store when the caller is bound to one: otherwise 403 `reversal_not_allowed` and "
        "nothing changes. An operator whose role may use "
        "`POST /v1/admin/redemptions/{redemption_id}/reversal` may reverse it here too. "
        "Who cancelled is recorded."
    ),
    responses=problem_responses(401, 403, 404, 409, 422, *_UPSTREAM),
)
async def cancel_redemption(
    request: Request, caller: PointsWriter, points: PointsClient, redemption_id: RedemptionId
) -> JSONResponse:
    rpc = cancel_request(caller, redemption_id, may_reverse_any=may_reverse_any(request, caller))
    return await redemption_step(points.CancelRedemption, rpc)
