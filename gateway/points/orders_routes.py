"""`/v1/orders`: earn on a purchase, reverse on a return (docs/api.md, Orders)."""

from __future__ import annotations

from typing import Annotated

import grpc
from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse
from grpc import aio

from gateway.access.touchpoints import check_store_binding, resolve_channel, touchpoint
from gateway.clients import CodeUses, MemberClient, PointsClient
from gateway.edge.fields import ORDER_ID_PATTERN
from gateway.edge.json_body import json_body, parse_body, read_json, top_level_str
from gateway.edge.languages import content_language
from gateway.edge.problems import problem_responses
from gateway.edge.rpc_errors import body_field_problem, problem_from_rpc_error
from gateway.points.access import PointsWriter
from gateway.points.answers import OrderOut, ReturnOut
from gateway.points.bodies import ReturnBody
from gateway.points.translate import (
    actor_of,
    order_from_proto,
    own_store,
    return_from_proto,
    return_request,
)
from gateway.shared.code_uses import spend_identity
from gateway.shared.languages import reader_language
from gateway.shared.members import active_member, member_context
from gateway.shared.purchases import OrderBody, accrue_request

router = APIRouter(prefix="/v1/orders", tags=["orders"])

ORDER_NOT_FOUND = {grpc.StatusCode.NOT_FOUND: "order_not_found"}
OrderIdPath = Annotated[str, Path(min_length=1, max_length=128, pattern=ORDER_ID_PATTERN)]
_UPSTREAM = (503, 504)


def _created_unless(replayed: bool) -> int:
    """201 the first time; 200 when the service answered a retry with the first answer."""
    return 200 if replayed else 201


@router.post(
    "",
    status_code=201,
    response_model=OrderOut,
    summary="Earn points on a purchase",
    responses={
        200: {"model": OrderOut, "description": "The order was seen before: the first answer"},
        **problem_responses(401, 403, 404, 409, 413, 422, *_UPSTREAM),
    },
    openapi_extra=json_body(OrderBody),
)
async def accrue_order(
    request: Request,
    caller: PointsWriter,
    members: MemberClient,
    points: PointsClient,
    code_uses: CodeUses,
) -> JSONResponse:
    document = await read_json(request)
    check_store_binding(caller.bound_stores, top_level_str(document, "store_id"))
    body = parse_body(OrderBody, document)
    at = touchpoint(caller, body.channel, body.store_id)
    await spend_identity(code_uses, caller, body.identity, body.order_id)
    member = await active_member(
        members, caller.tenant_id, member_id=body.member_id, identity=body.identity
    )
    rpc = accrue_request(body, tenant_id=caller.tenant_id, at=at, member=member_context(member))
    try:
        reply = await points.AccrueOrder(rpc)
    except aio.AioRpcError as err:
        # The points service judges when an order may have happened (its catch-up window).
        raise body_field_problem(err, "occurred_at") from None
    locale = await reader_language(request, caller.tenant_id)
    answer = JSONResponse(
        order_from_proto(reply, locale).to_json(), status_code=_created_unless(reply.replayed)
    )
    content_language(answer, locale)
    return answer


@router.post(
    "/{order_id}/returns",
    status_code=201,
    response_model=ReturnOut,
    summary="Reverse, in proportion, the points an order earned",
    description=(
        "A return may be made at any store of the brand. `store_id` names the store it is "
        "made at (a store-bound caller's own store when absent; another store is 403 "
        "`forbidden`); the channel, store and key that made it are recorded and shown on "
        "`GET /v1/admin/orders/{order_id}`."
    ),
    responses={
        200: {"model": ReturnOut, "description": "The return was seen before: the first answer"},
        **problem_responses(401, 403, 404, 409, 413, 422, *_UPSTREAM),
    },
    openapi_extra=json_body(ReturnBody),
)
async def return_order(
    request: Request, caller: PointsWriter, points: PointsClient, order_id: OrderIdPath
) -> JSONResponse:
    document = await read_json(request)
    check_store_binding(caller.bound_stores, top_level_str(document, "store_id"))
    body = parse_body(ReturnBody, document)
    channel = resolve_channel(caller.channel, body.channel)
    store_id = body.store_id or own_store(caller)
    actor = actor_of(caller, store_id, channel)
    rpc = return_request(body, tenant_id=caller.tenant_id, order_id=order_id, actor=actor)
    try:
        reply = await points.ReturnOrder(rpc)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, ORDER_NOT_FOUND) from None
    return JSONResponse(
        return_from_proto(reply).model_dump(mode="json"),
        status_code=_created_unless(reply.replayed),
    )
