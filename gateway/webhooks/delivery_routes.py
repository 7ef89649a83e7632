"""`/v1/admin/webhooks/{endpoint_id}/deliveries`: an endpoint's delivery log, and replays
of one delivery or of the deliveries of a time range."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse

from gateway.access.auth import OperatorKey
from gateway.clients import AppContainer
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.problems import ApiProblem, problem_responses, validation_problem
from gateway.webhooks.answers import DeliveryListOut, DeliveryOut, ReplayedOut
from gateway.webhooks.bodies import ReplayRangeBody
from gateway.webhooks.deliveries import DeliveryStore
from gateway.webhooks.routes import EndpointId, Endpoints, found
from gateway.webhooks.worker import delivery_store
from libs.clock import utc_now

router = APIRouter(prefix="/v1/admin/webhooks/{endpoint_id}", tags=["admin: webhooks"])
DeliveryId = Annotated[str, Path(min_length=1, max_length=160)]
MAX_RANGE_DAYS = 31


async def _deliveries(container: AppContainer) -> DeliveryStore:
    return delivery_store(container.db)


Deliveries = Annotated[DeliveryStore, Depends(_deliveries)]


@router.get(
    "/deliveries",
    response_model=DeliveryListOut,
    summary="The endpoint's delivery log, newest first",
    description=(
        "Each delivery: the `webhook-id` the receiver saw, the event, its status "
        "(`pending`, `delivering`, `delivered`, `failed`), attempts so far, the next one, "
        "and the last few attempts' answers. Kept 30 days. Page with `before`."
    ),
    responses=problem_responses(401, 403, 404, 422),
)
async def list_deliveries(  # noqa: PLR0917 - FastAPI's parameters
    caller: OperatorKey,
    endpoints: Endpoints,
    deliveries: Deliveries,
    endpoint_id: EndpointId,
    status: Literal["pending", "delivering", "delivered", "failed"] | None = None,
    before: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> DeliveryListOut:
    await found(endpoints, caller.tenant_id, endpoint_id)
    docs = await deliveries.page(
        caller.tenant_id, endpoint_id, status=status, before=before, limit=limit
    )
    last = docs[-1]["created_at"] if len(docs) == limit else None
    return DeliveryListOut(deliveries=[DeliveryOut.of(d) for d in docs], next_before=last)


@router.post(
    "/deliveries/{delivery_id}/replay",
    status_code=202,
    response_model=DeliveryOut,
    summary="Deliver one delivery again, with the same webhook-id",
    description=(
        "Whatever became of it (delivered or failed), it is sent again at once and retried "
        "for a new window. It keeps its `webhook-id`: a receiver that dedupes by id and "
        "wants it again must forget the id first."
    ),
    responses=problem_responses(401, 403, 404),
)
async def replay_delivery(
    caller: OperatorKey,
    endpoints: Endpoints,
    deliveries: Deliveries,
    endpoint_id: EndpointId,
    delivery_id: DeliveryId,
) -> JSONResponse:
    await found(endpoints, caller.tenant_id, endpoint_id)
    doc = await deliveries.replay(caller.tenant_id, endpoint_id, delivery_id, utc_now())
    if doc is None:
        raise ApiProblem(404, "delivery_not_found", f"no delivery {delivery_id} of this webhook")
    return JSONResponse(DeliveryOut.of(doc).model_dump(mode="json"), status_code=202)


@router.post(
    "/replay",
    status_code=202,
    response_model=ReplayedOut,
    summary="Deliver again every delivery of events that occurred in a time range",
    description=(
        f"`start` inclusive, `end` exclusive, at most {MAX_RANGE_DAYS} days apart. Only "
        "events the endpoint was subscribed to when they occurred have deliveries."
    ),
    responses=problem_responses(401, 403, 404, 413, 422),
    openapi_extra=json_body(ReplayRangeBody),
)
async def replay_range(
    request: Request,
    caller: OperatorKey,
    endpoints: Endpoints,
    deliveries: Deliveries,
    endpoint_id: EndpointId,
) -> JSONResponse:
    body = parse_body(ReplayRangeBody, await read_json(request))
    if body.start.tzinfo is None or body.end.tzinfo is None:
        raise validation_problem([{"loc": ("body",), "msg": "times need their offset"}])
    if not body.start < body.end or (body.end - body.start).days > MAX_RANGE_DAYS:
        raise validation_problem(
            [{"loc": ("body", "end"), "msg": f"after start, at most {MAX_RANGE_DAYS} days"}]
        )
    await found(endpoints, caller.tenant_id, endpoint_id)
    count = await deliveries.replay_range(
        caller.tenant_id, endpoint_id, body.start, body.end, utc_now()
    )
    return JSONResponse(ReplayedOut(replayed=count).model_dump(), status_code=202)
