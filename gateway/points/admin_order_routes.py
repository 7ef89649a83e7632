"""`/v1/admin/orders/{order_id}`: an order as credited, for operators: what it earned,
which campaigns applied and why each other active campaign did not, and its returns."""

from __future__ import annotations

from typing import Annotated

import grpc
from fastapi import APIRouter, Path, Request, Response
from grpc import aio

from gateway.access.store_scope import check_placed_at_their_stores
from gateway.clients import PointsClient
from gateway.edge.fields import ORDER_ID_PATTERN
from gateway.edge.problems import problem_responses
from gateway.edge.rpc_errors import problem_from_rpc_error
from gateway.points.admin_access import PointsOperator
from gateway.points.answers import OrderDetailOut
from gateway.points.translate import order_detail_from_proto
from gateway.shared.languages import answer_language
from loyalty.points.v1 import points_pb2

router = APIRouter(prefix="/v1/admin/orders", tags=["admin: points"])

OrderIdPath = Annotated[str, Path(min_length=1, max_length=128, pattern=ORDER_ID_PATTERN)]
ORDER_NOT_FOUND = {grpc.StatusCode.NOT_FOUND: "order_not_found"}


@router.get(
    "/{order_id}",
    response_model=OrderDetailOut,
    summary="An order as credited: its campaigns applied and skipped, with reasons",
    description=(
        "What the order earned (the breakdown, with bonuses granted after its deadline), "
        "the campaigns whose effect it got (`applied`), every other active purchase "
        "campaign with why it did not apply (`skipped`: a reason code, its English text, "
        "and for `excluded_by` the exclusive campaign that applied; the codes are listed in "
        "docs/points.md), and the returns so far with the points they reversed. When the "
        "campaign service missed the order's deadline, `bonus_pending` is true and "
        "`skipped` is empty. `member_id` is the member holding the order now (after a "
        "merge, the survivor). A store manager reads the orders of their stores only "
        "(403 for others); 404 `order_not_found` for an order the tenant does not have."
    ),
    responses=problem_responses(401, 403, 404, 422, 503, 504),
)
async def get_order(
    request: Request,
    response: Response,
    caller: PointsOperator,
    points: PointsClient,
    order_id: OrderIdPath,
) -> OrderDetailOut:
    rpc = points_pb2.GetOrderRequest(tenant_id=caller.tenant_id, order_id=order_id)
    try:
        reply = await points.GetOrder(rpc)
    except aio.AioRpcError as err:
        raise problem_from_rpc_error(err, ORDER_NOT_FOUND) from None
    check_placed_at_their_stores(caller, reply.store_id)
    locale = await answer_language(request, response, caller.tenant_id)
    return order_detail_from_proto(reply, locale)
