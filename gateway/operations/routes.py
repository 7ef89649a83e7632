"""`/v1/admin/operations`: records of the long operations an operator runs from the
console (bulk adjustments, bulk coupon codes, backtests), so that the page that started
one finds it again, with its progress or result, after its tab closed; and of those the
gateway runs in the background (started with `?async=true` on their own routes)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from gateway.access.auth import OperatorKey
from gateway.clients import AppContainer
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.problems import ApiProblem, problem_responses
from gateway.operations.answers import OperationListOut, OperationOut, operation_out
from gateway.operations.bodies import Kind, OperationBody, ProgressBody
from gateway.tenancy.operations import OPERATIONS, OperationStore

router = APIRouter(prefix="/v1/admin/operations", tags=["admin: operations"])

OperationId = Annotated[str, Path(min_length=1, max_length=64)]


def store_of(container: AppContainer) -> OperationStore:
    return OperationStore(container.db[OPERATIONS])


@router.post(
    "",
    response_model=OperationOut,
    status_code=201,
    summary="Record a long operation starting",
    description=(
        "The caller's own record of an operation it runs step by step (a bulk adjustment "
        "file in parts, bulk coupon codes in batches, a backtest): `running`, 0 of `total` "
        "done. Its page reports progress with `PUT`; another page of the same operator "
        "finds it with `GET`. Records last 7 days after their last change."
    ),
    responses=problem_responses(401, 403, 422),
    openapi_extra=json_body(OperationBody),
)
async def start_operation(
    request: Request, caller: OperatorKey, container: AppContainer
) -> OperationOut:
    body = parse_body(OperationBody, await read_json(request))
    doc = await store_of(container).start(
        caller.tenant_id, caller.key_id, body.kind, body.subject, body.total
    )
    return operation_out(doc)


@router.put(
    "/{operation_id}",
    response_model=OperationOut,
    summary="Record how far a long operation got, or how it ended",
    description=(
        "Steps done of `total`, what it gave so far (`result`), and with `state` `done` or "
        "`failed` how it ended; a finished operation changes no more (409 "
        "`operation_finished`), nor one the gateway runs (409 "
        "`operation_in_background`). 404 `operation_not_found` for another operator's or "
        "an unknown one."
    ),
    responses=problem_responses(401, 403, 404, 409, 422),
    openapi_extra=json_body(ProgressBody),
)
async def record_progress(
    request: Request, caller: OperatorKey, container: AppContainer, operation_id: OperationId
) -> OperationOut:
    body = parse_body(ProgressBody, await read_json(request))
    store = store_of(container)
    changes = body.model_dump()
    doc = await store.record(caller.tenant_id, caller.key_id, operation_id, changes)
    if doc is None:
        found = await store.get(caller.tenant_id, caller.key_id, operation_id)
        if found is None:
            raise ApiProblem(404, "operation_not_found", f"no operation {operation_id}")
        if found.get("background") and found["state"] == "running":
            raise ApiProblem(409, "operation_in_background", "the gateway runs this operation")
        raise ApiProblem(409, "operation_finished", "the operation has finished already")
    return operation_out(doc)


@router.get(
    "/{operation_id}",
    response_model=OperationOut,
    summary="One of the caller's long operations: its progress and result",
    description=(
        "Where a 202 from a route run with `?async=true` points (`Location`): `done` of "
        "`total` steps and the `result` so far, until `state` is `done` or `failed`. 404 "
        "`operation_not_found` for another operator's or an unknown one."
    ),
    responses=problem_responses(401, 403, 404, 422),
)
async def get_operation(
    caller: OperatorKey, container: AppContainer, operation_id: OperationId
) -> OperationOut:
    doc = await store_of(container).get(caller.tenant_id, caller.key_id, operation_id)
    if doc is None:
        raise ApiProblem(404, "operation_not_found", f"no operation {operation_id}")
    return operation_out(doc)


@router.get(
    "",
    response_model=OperationListOut,
    summary="The caller's long operations, newest first",
    description=(
        "Of one `kind` and one `subject` (a file, template or campaign) when given. A "
        "`running` operation whose `updated_at` is old was left by a page that closed: "
        "the bulk adjustment file sent again applies only the rows not applied yet."
    ),
    responses=problem_responses(401, 403, 422),
)
async def list_operations(
    caller: OperatorKey,
    container: AppContainer,
    kind: Kind | None = None,
    subject: Annotated[str | None, Query(min_length=1, max_length=128)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> OperationListOut:
    docs = await store_of(container).list(caller.tenant_id, caller.key_id, kind, subject, limit)
    return OperationListOut(operations=[operation_out(d) for d in docs])
