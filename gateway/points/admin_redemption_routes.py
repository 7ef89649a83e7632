"""`/v1/admin/redemptions/{id}/reversal`: an operator with the right reverses a captured
redemption whatever channel or store captured it (or releases a hold)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from gateway.clients import PointsClient
from gateway.edge.problems import problem_responses
from gateway.points.admin_access import PointsOperator
from gateway.points.answers import RedemptionOut
from gateway.points.redemptions_routes import RedemptionId, cancel_request, redemption_step
from gateway.points.reversal import REVERSAL_PATH

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
