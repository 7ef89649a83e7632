"""`/v1/admin/approval-policy` and `/v1/admin/approvals`: a tenant's four-eyes policy, the
queue of held requests, and approving (which runs the request once) or rejecting them."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request

from gateway.access.approvals.policy import ApprovalPolicy
from gateway.access.approvals.store import (
    EXECUTED,
    EXECUTING,
    FAILED,
    REJECTED,
    Approval,
    ApprovalStore,
    Lease,
)
from gateway.access.auth import OperatorKey
from gateway.access.permissions import principal_of, rule_for
from gateway.approvals.answers import ApprovalListOut, ApprovalOut
from gateway.approvals.bodies import ApprovalPolicyBody, DecisionBody
from gateway.approvals.run import run_leased
from gateway.container import Container, get_container
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.problems import ApiProblem, problem_responses
from gateway.tenancy.keys import ApiKey
from libs.workers import holder_name

router = APIRouter(prefix="/v1/admin", tags=["admin: approvals"])

_OPTIONAL_NOTE = {"requestBody": {**json_body(DecisionBody)["requestBody"], "required": False}}
ApprovalId = Annotated[str, Path(min_length=1, max_length=64)]
Status = Literal["pending", "executing", "executed", "failed", "rejected", "expired"]


async def _store(container: Annotated[Container, Depends(get_container)]) -> ApprovalStore:
    return container.approvals


Approvals = Annotated[ApprovalStore, Depends(_store)]


def run_lease(request: Request) -> Lease:
    """A lease for one run of an approved request in this process."""
    settings = request.app.state.container.settings
    return Lease(holder_name(), timedelta(seconds=settings.approval_lease_seconds))


def _not_found() -> ApiProblem:
    return ApiProblem(404, "approval_not_found", "no such approval in this tenant")


async def _found(store: ApprovalStore, caller: ApiKey, approval_id: str) -> Approval:
    approval = await store.get(caller.tenant_id, approval_id)
    if approval is None:
        raise _not_found()
    return approval


def _check_checker(request: Request, caller: ApiKey, approval: Approval) -> None:
    """Another operator, whose role may call the held route itself."""
    if caller.key_id == approval.maker.key_id:
        raise ApiProblem(403, "approval_by_maker", "the operator who asked may not decide")
    held = approval.request
    rule = rule_for(request.app.state.matrix, held.method, held.route)
    if rule is None or not rule.permits(principal_of(caller), caller.scopes):
        raise ApiProblem(
            403, "approval_role_not_allowed", "your role may not do what this request does"
        )


async def _decided(
    store: ApprovalStore, caller: ApiKey, approval_id: str, *, done: tuple[str, ...]
) -> ApprovalOut:
    """A decision that found the request no longer pending: the same checker's retry gets
    the approval as it is; anyone else 409."""
    approval = await _found(store, caller, approval_id)
    if approval.checker_id == caller.key_id and approval.status in done:
        return ApprovalOut.of(approval)
    status = ApprovalOut.of(approval).status
    raise ApiProblem(409, "approval_not_pending", f"this approval is {status}")


@router.get(
    "/approval-policy",
    response_model=ApprovalPolicyBody,
    summary="The tenant's four-eyes policy: which operators' actions wait for a second one",
    responses=problem_responses(401, 403),
)
async def get_policy(caller: OperatorKey, store: Approvals) -> ApprovalPolicyBody:
    policy = await store.policy(caller.tenant_id)
    return ApprovalPolicyBody(**policy.to_doc())


@router.put(
    "/approval-policy",
    response_model=ApprovalPolicyBody,
    summary="Replace the tenant's four-eyes policy",
    description=(
        "Every threshold is off unless set. A held request is answered 202 with its "
        "`approval_id` and a `Location`, and runs once another operator approves it."
    ),
    responses=problem_responses(401, 403, 413, 422),
    openapi_extra=json_body(ApprovalPolicyBody),
)
async def put_policy(request: Request, caller: OperatorKey, store: Approvals) -> ApprovalPolicyBody:
    body = parse_body(ApprovalPolicyBody, await read_json(request))
    await store.put_policy(caller.tenant_id, ApprovalPolicy(**body.model_dump()))
    return body


@router.get(
    "/approvals",
    response_model=ApprovalListOut,
    summary="The approval queue, newest first",
    description="`status=pending` (the default) lists what waits for a decision.",
    responses=problem_responses(401, 403, 422),
)
async def list_approvals(
    caller: OperatorKey,
    store: Approvals,
    status: Status | None = "pending",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ApprovalListOut:
    found = await store.list(caller.tenant_id, status, limit)
    return ApprovalListOut(approvals=[ApprovalOut.of(a) for a in found])


@router.get(
    "/approvals/{approval_id}",
    response_model=ApprovalOut,
    summary="One held request: what it asks, who asked, its decision and its result",
    responses=problem_responses(401, 403, 404),
)
async def get_approval(
    caller: OperatorKey, store: Approvals, approval_id: ApprovalId
) -> ApprovalOut:
    return ApprovalOut.of(await _found(store, caller, approval_id))


@router.post(
    "/approvals/{approval_id}/approve",
    response_model=ApprovalOut,
    summary="Approve a held request: it runs once, as its maker, and its result is kept",
    description=(
        "By another operator whose role may call the held route (403 `approval_by_maker`, "
        "`approval_role_not_allowed`). Of concurrent approvals one runs the request; the "
        "others get 409 `approval_not_pending`, and the same approver again gets the "
        "approval as it is. An expired or rejected request is 409."
    ),
    responses=problem_responses(401, 403, 404, 409, 413, 422),
    openapi_extra=_OPTIONAL_NOTE,
)
async def approve(
    request: Request, caller: OperatorKey, store: Approvals, approval_id: ApprovalId
) -> ApprovalOut:
    raw = await request.body()
    note = parse_body(DecisionBody, await read_json(request)).note if raw else None
    _check_checker(request, caller, await _found(store, caller, approval_id))
    lease = run_lease(request)
    taken = await store.decide(
        caller.tenant_id,
        approval_id,
        to=EXECUTING,
        checker_id=caller.key_id,
        role=caller.role or "admin",
        note=note,
        lease=lease,
    )
    if taken is None:
        return await _decided(store, caller, approval_id, done=(EXECUTING, EXECUTED, FAILED))
    client = request.client
    address = (client.host, client.port) if client else ("approvals", 0)
    done = await run_leased(request.app, store, taken, lease, address)
    # None: its key was still running elsewhere; left executing, the recovery finishes it
    return ApprovalOut.of(done or await _found(store, caller, approval_id))


@router.post(
    "/approvals/{approval_id}/reject",
    response_model=ApprovalOut,
    summary="Reject a held request: it never runs",
    responses=problem_responses(401, 403, 404, 409, 413, 422),
    openapi_extra=_OPTIONAL_NOTE,
)
async def reject(
    request: Request, caller: OperatorKey, store: Approvals, approval_id: ApprovalId
) -> ApprovalOut:
    raw = await request.body()
    note = parse_body(DecisionBody, await read_json(request)).note if raw else None
    _check_checker(request, caller, await _found(store, caller, approval_id))
    taken = await store.decide(
        caller.tenant_id,
        approval_id,
        to=REJECTED,
        checker_id=caller.key_id,
        role=caller.role or "admin",
        note=note,
    )
    if taken is None:
        return await _decided(store, caller, approval_id, done=(REJECTED,))
    return ApprovalOut.of(taken)
