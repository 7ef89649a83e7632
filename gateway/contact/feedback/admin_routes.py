"""`/v1/admin/feedback`: support's inbox of members' feedback; assigning, answering (the
member reads the answer) and closing it. A store manager handles their stores' only."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request

from gateway.access.auth import OperatorKey
from gateway.access.store_scope import scoped_to_stores
from gateway.clients import AppContainer
from gateway.contact.feedback.answers import FeedbackListOut, FeedbackOut
from gateway.contact.feedback.bodies import AnswerFeedbackBody, AssignFeedbackBody
from gateway.contact.feedback.member_routes import Feedback
from gateway.contact.feedback.rules import FeedbackClosed
from gateway.contact.feedback.store import FeedbackStore, InboxQuery
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.params import Cursor
from gateway.edge.problems import ApiProblem, problem_responses, validation_problem
from gateway.tenancy.keys import ApiKey
from libs.clock import utc_now
from libs.mongo import Doc

router = APIRouter(prefix="/v1/admin/feedback", tags=["admin: feedback"])
FeedbackId = Annotated[str, Path(min_length=1, max_length=64)]
ATTEMPTS = 5  # reads of feedback that changed between the read and the write
_PROBLEMS = problem_responses(401, 403, 404, 409, 422)


def _only_stores(caller: ApiKey) -> frozenset[str] | None:
    return caller.bound_stores if scoped_to_stores(caller) else None


def _not_found(feedback_id: str) -> ApiProblem:
    return ApiProblem(404, "feedback_not_found", f"no feedback {feedback_id} for you")


async def _found(feedback: FeedbackStore, caller: ApiKey, feedback_id: str) -> Doc:
    doc = await feedback.get(caller.tenant_id, feedback_id)
    stores = _only_stores(caller)
    if doc is None or (stores is not None and doc.get("store_id") not in stores):
        raise _not_found(feedback_id)
    return doc


async def _act(
    feedback: FeedbackStore, caller: ApiKey, feedback_id: str, action: str, changes: Doc
) -> FeedbackOut:
    for _ in range(ATTEMPTS):
        current = await _found(feedback, caller, feedback_id)
        try:
            done = await feedback.act(current, action, changes, utc_now())
        except FeedbackClosed:
            raise ApiProblem(409, "feedback_closed", "this feedback is closed") from None
        if done is not None:
            return FeedbackOut.of(done)
    raise ApiProblem(409, "feedback_busy", "this feedback keeps changing; try again")


@router.get(
    "",
    response_model=FeedbackListOut,
    response_model_exclude_none=True,
    summary="Members' feedback, newest first: support's inbox",
    description=(
        "Filter by `status` (open, assigned, answered, closed) and `store`. A store manager "
        "sees the feedback of their stores only. Pass `next_cursor` as `cursor` for the next "
        "page."
    ),
    responses=problem_responses(401, 403, 422),
)
async def inbox(  # noqa: PLR0917 - FastAPI's parameters
    caller: OperatorKey,
    feedback: Feedback,
    status: Literal["open", "assigned", "answered", "closed"] | None = None,
    store: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> FeedbackListOut:
    query = InboxQuery(caller.tenant_id, status, store, _only_stores(caller))
    docs, next_cursor = await feedback.inbox(query, limit=limit, cursor=cursor)
    return FeedbackListOut(feedback=[FeedbackOut.of(d) for d in docs], next_cursor=next_cursor)


@router.get(
    "/{feedback_id}",
    response_model=FeedbackOut,
    response_model_exclude_none=True,
    summary="One member's feedback",
    responses=problem_responses(401, 403, 404),
)
async def one_feedback(
    caller: OperatorKey, feedback: Feedback, feedback_id: FeedbackId
) -> FeedbackOut:
    return FeedbackOut.of(await _found(feedback, caller, feedback_id))


@router.post(
    "/{feedback_id}/assign",
    response_model=FeedbackOut,
    response_model_exclude_none=True,
    summary="Assign feedback to an operator (the caller, when none is named)",
    description=(
        "Open feedback becomes `assigned`; answered feedback keeps its status. The operator "
        "must be one of the tenant's, not disabled (422 otherwise). Closed feedback: 409 "
        "`feedback_closed`."
    ),
    responses=_PROBLEMS,
    openapi_extra=json_body(AssignFeedbackBody),
)
async def assign(
    request: Request,
    caller: OperatorKey,
    container: AppContainer,
    feedback: Feedback,
    feedback_id: FeedbackId,
) -> FeedbackOut:
    body = parse_body(AssignFeedbackBody, await read_json(request))
    assignee = body.operator_id or caller.key_id
    if body.operator_id:
        operator = await container.operators.get(caller.tenant_id, body.operator_id)
        if operator is None or operator.disabled_at is not None:
            raise validation_problem(
                [{"loc": ("body", "operator_id"), "msg": "no such operator", "code": "invalid"}]
            )
    return await _act(feedback, caller, feedback_id, "assign", {"assignee": assignee})


@router.post(
    "/{feedback_id}/answer",
    response_model=FeedbackOut,
    response_model_exclude_none=True,
    summary="Answer feedback: the member reads the answer in the member centre",
    description=(
        "The feedback becomes `answered` (a second answer replaces the first), and is "
        "assigned to the caller if it was not assigned. Closed feedback: 409 "
        "`feedback_closed`."
    ),
    responses=_PROBLEMS,
    openapi_extra=json_body(AnswerFeedbackBody),
)
async def answer(
    request: Request, caller: OperatorKey, feedback: Feedback, feedback_id: FeedbackId
) -> FeedbackOut:
    body = parse_body(AnswerFeedbackBody, await read_json(request))
    current = await _found(feedback, caller, feedback_id)
    changes: Doc = {"answer": body.text, "answered_at": utc_now(), "answered_by": caller.key_id}
    if not current.get("assignee"):
        changes["assignee"] = caller.key_id
    return await _act(feedback, caller, feedback_id, "answer", changes)


@router.post(
    "/{feedback_id}/close",
    response_model=FeedbackOut,
    response_model_exclude_none=True,
    summary="Close feedback: it changes no more",
    description=(
        "Closed feedback stays in the inbox under `status=closed`. Twice: 409 `feedback_closed`."
    ),
    responses=problem_responses(401, 403, 404, 409),
)
async def close(caller: OperatorKey, feedback: Feedback, feedback_id: FeedbackId) -> FeedbackOut:
    return await _act(feedback, caller, feedback_id, "close", {})
