"""`/v1/admin/redemptions/{id}/reversal`: an operator with the right reverses a captured
redemption whatever channel or store captured it (or releases a hold);
`/v1/admin/holds/expiring`: the holds whose time is nearly up."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from gateway.clients import PointsClient
from gateway.edge.problems import problem_responses
from gateway.points.admin_access import PointsOperator
from gateway.points.admin_answers import ExpiringHoldsOut
from gateway.points.admin_translate import redemption_record
from gateway.points.answers import RedemptionOut
from gateway.points.redemptions_routes import RedemptionId, cancel_request, redemption_step
from gateway.points.reversal import REVERSAL_PATH
from loyalty.points.v1 import points_pb2 as pb

router = APIRouter(tags=["admin: points"])


@router.post(
    REVERSAL_PATH,
    response_model=RedemptionOut,
    summary="Reverse a captured redemption from any channel or store (operators with the right)",
    description=(
        "Like `POST /v1/redemptions/{redemption_id}/cancel` without its channel and store "
        "rule: the points come back (`reversed`; a hold is `released`), again: the same "
        "answer. The roles allowed are in docs/permissions.md; a store manager still only "
        "for redemptions held at their stores (403 `forbidden`). The operator is recorded "
        "as who cancelled. 404 `redemption_not_found` for one the tenant does not have."
    ),
    responses=problem_responses(401, 403, 404, 409, 422, 503, 504),
)
async def reverse_redemption(
    caller: PointsOperator, points: PointsClient, redemption_id: RedemptionId
) -> JSONResponse:
    rpc = cancel_request(caller, redemption_id, may_reverse_any=True)
    return await redemption_step(points.CancelRedemption, rpc)


@router.get(
    "/v1/admin/holds/expiring",
    response_model=ExpiringHoldsOut,
    summary="The holds whose time is up within the next minutes",
    description=(
        "The tenant's redemptions held and not captured yet that expire within "
        "`within_minutes` (60 by default, at most 10080), soonest first, at most `limit` "
        "(50 by default, at most 200). The platform releases each at its `expires_at`: "
        "the points go back to the member unless the sale captures them before."
    ),
    responses=problem_responses(401, 403, 422, 503, 504),
)
async def expiring_holds(
    caller: PointsOperator,
    points: PointsClient,
    within_minutes: Annotated[int, Query(ge=1, le=10080)] = 60,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ExpiringHoldsOut:
    rpc = pb.ListExpiringHoldsRequest(
        tenant_id=caller.tenant_id, within_minutes=within_minutes, limit=limit
    )
    reply = await points.ListExpiringHolds(rpc)
    return ExpiringHoldsOut(
        within_minutes=reply.within_minutes,
        holds=[redemption_record(h) for h in reply.holds],
    )
