"""`/v1/members/{id}/feedback`: a member rates a store visit or an order, or complains, from
their own session, and reads what they gave and support's answers (docs/contact-history.md)."""

from __future__ import annotations

from typing import Annotated

import grpc
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from grpc import aio

from gateway.access.auth import RequireChannels
from gateway.clients import AppContainer, PointsClient
from gateway.contact.feedback.answers import FeedbackListOut, FeedbackOut
from gateway.contact.feedback.bodies import GiveFeedbackBody
from gateway.contact.feedback.rules import OPEN, NewFeedback, refusals
from gateway.contact.feedback.store import FeedbackStore
from gateway.contact.timeline.worker import feedback_store, timeline_store
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.params import MemberId
from gateway.edge.problems import ApiProblem, problem_responses, validation_problem
from gateway.shared.members import member_in_tenant
from gateway.tenancy.keys import ApiKey
from libs.clock import utc_now
from libs.ids import new_id
from libs.mongo import Doc
from loyalty.points.v1 import points_pb2 as pb

# The member's own session (a member token or the member centre's cookie); app and
# mini-program keys only where the tenant keeps the legacy key access.
MemberSelf = Annotated[ApiKey, Depends(RequireChannels("app", "miniprogram", members=True))]
router = APIRouter(prefix="/v1/members/{member_id}/feedback", tags=["members"])
OWN_FEEDBACK_SHOWN = 100


async def _feedback(container: AppContainer) -> FeedbackStore:
    return feedback_store(container.mongo, container.db)


Feedback = Annotated[FeedbackStore, Depends(_feedback)]


def _order_not_found(order_id: str) -> ApiProblem:
    return ApiProblem(404, "order_not_found", f"the member has no order {order_id}")


async def _store_of_order(
    points: PointsClient, caller: ApiKey, member_id: str, order_id: str
) -> str:
    """The store of the member's own order (404 for another member's or none)."""
    try:
        reply = await points.GetOrder(
            pb.GetOrderRequest(tenant_id=caller.tenant_id, order_id=order_id)
        )
    except aio.AioRpcError as err:
        if err.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT):
            raise _order_not_found(order_id) from None
        raise
    if reply.member_id != member_id:
        raise _order_not_found(order_id)
    return reply.store_id


async def _check_store(container: AppContainer, tenant_id: str, store_id: str) -> None:
    tenant = await container.tenants.get(tenant_id)
    if tenant is not None and tenant.stores and store_id not in tenant.stores:
        raise validation_problem(
            [{"loc": ("body", "store_id"), "msg": "no such store", "code": "invalid"}]
        )


@router.post(
    "",
    status_code=201,
    response_model=FeedbackOut,
    summary="Give feedback: rate a store visit or an order, or complain",
    description=(
        "From the member's own session (a member token, or the member centre's cookie). "
        "A `rating` (1 to 5, optional comment) names a `store_id` or an `order_id` of the "
        "member's (its store is taken from the order); a `complaint` has a `category` "
        "(product, service, store, points, other) and a comment, about a store, an order or "
        "neither. It waits in support's inbox as `open`. The answer does not repeat the "
        "comment (`GET` reads it). 404 `order_not_found` for an order not the member's."
    ),
    responses=problem_responses(401, 403, 404, 413, 422),
    openapi_extra=json_body(GiveFeedbackBody),
)
async def give_feedback(  # noqa: PLR0917 - FastAPI's parameters
    request: Request,
    caller: MemberSelf,
    container: AppContainer,
    points: PointsClient,
    feedback: Feedback,
    member_id: MemberId,
) -> JSONResponse:
    body = parse_body(GiveFeedbackBody, await read_json(request))
    await member_in_tenant(container.member, caller.tenant_id, member_id)
    wrong = refusals(NewFeedback(**body.model_dump()))
    if wrong:
        raise validation_problem(
            [{"loc": ("body", e.field), "msg": e.message, "code": e.code} for e in wrong]
        )
    store_id = body.store_id
    if body.order_id:
        store_id = await _store_of_order(points, caller, member_id, body.order_id) or None
    elif store_id:
        await _check_store(container, caller.tenant_id, store_id)
    now = utc_now()
    doc: Doc = {
        "_id": new_id("fb_"),
        "tenant_id": caller.tenant_id,
        "member_id": member_id,
        "kind": body.kind,
        "rating": body.rating,
        "category": body.category,
        "comment": body.comment,
        "store_id": store_id,
        "order_id": body.order_id,
        "channel": caller.channel,
        "status": OPEN,
        "created_at": now,
        "updated_at": now,
    }
    await feedback.create(doc)
    answer = FeedbackOut.of(doc, with_text=False)
    return JSONResponse(answer.model_dump(mode="json", exclude_none=True), status_code=201)


@router.get(
    "",
    response_model=FeedbackListOut,
    response_model_exclude_none=True,
    summary="The member's own feedback and support's answers, newest first",
    description=(
        f"The latest {OWN_FEEDBACK_SHOWN}, with their status and, once support answered, "
        "the `answer`; also what the members merged into this one gave."
    ),
    responses=problem_responses(401, 403, 404),
)
async def own_feedback(
    caller: MemberSelf, container: AppContainer, feedback: Feedback, member_id: MemberId
) -> FeedbackListOut:
    members = await timeline_store(container.db).members_of(caller.tenant_id, member_id)
    docs = await feedback.of_members(caller.tenant_id, members, OWN_FEEDBACK_SHOWN)
    return FeedbackListOut(feedback=[FeedbackOut.of(d) for d in docs])
