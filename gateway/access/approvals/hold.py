"""Holding an operator's request for a second operator's approval, once it is admitted.

A route the approvals slice names (`app.state.approval_gates`) has a gate: given the
tenant's policy and the request, it answers why the request needs approval, or None. A
held request is stored with its maker and answered 202 with the approval's id and a
`Location`; it runs later, once approved, through the same route under the maker's
authority (`gateway.approvals.run`), which marks its in-process request with
`APPROVED_CALLER` so that it authenticates as the maker and passes the gate.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from gateway.access.approvals.policy import OFF, ApprovalPolicy
from gateway.access.approvals.store import Approval, ApprovalStore, HeldRequest, Maker
from gateway.edge.audit.declared import STATE_KEY as AUDIT_STATE
from gateway.edge.audit.declared import Pending
from gateway.edge.audit.trail import Resource
from gateway.edge.routing import route_template
from gateway.tenancy.keys import ApiKey

# Set only by the in-process run of an approved request (never from the network).
APPROVED_CALLER = "approved_caller"
APPROVAL_PATH = "/v1/admin/approvals/{approval_id}"


@dataclass(frozen=True)
class Held:
    """What a gate sees of the request."""

    tenant_id: str
    path_params: Mapping[str, Any]
    body: bytes
    content_type: str


Gate = Callable[[Any, ApprovalPolicy, Held], Awaitable[str | None]]
Gates = Mapping[tuple[str, str], Gate]


class ApprovalRequired(Exception):
    """Answered 202: the request waits for approval."""

    def __init__(self, approval: Approval) -> None:
        super().__init__("approval required")
        self.approval = approval


def approved_caller(request: Request) -> ApiKey | None:
    caller = request.scope.get("state", {}).get(APPROVED_CALLER)
    return caller if isinstance(caller, ApiKey) else None


def maker_of(caller: ApiKey) -> Maker:
    return Maker(
        key_id=caller.key_id,
        role=caller.role,
        stores=caller.stores,
        store_id=caller.store_id,
        scopes=tuple(sorted(caller.scopes)),
    )


async def hold_for_approval(request: Request, store: ApprovalStore, caller: ApiKey) -> None:
    """Raise `ApprovalRequired` when the tenant's policy holds this operator's request."""
    if caller.channel != "operator" or caller.member_id is not None:
        return
    if approved_caller(request) is not None:
        return
    route = route_template(request.scope) or ""
    gates: Gates = getattr(request.app.state, "approval_gates", {})
    gate = gates.get((request.method, route))
    if gate is None:
        return
    policy = await store.policy(caller.tenant_id)
    if policy == OFF:
        return
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    held = Held(caller.tenant_id, request.path_params, body, content_type)
    reason = await gate(request.app.state, policy, held)
    if reason is None:
        return
    query = request.url.query
    kept = HeldRequest(request.method, request.url.path, route, query, content_type, body)
    approval = await store.hold(
        caller.tenant_id, maker_of(caller), kept, reason, policy.expires_after_hours
    )
    pending = getattr(request.state, AUDIT_STATE, None)
    if isinstance(pending, Pending):
        pending.resources.append(Resource("approval", approval.approval_id))
    raise ApprovalRequired(approval)


def location_of(approval_id: str) -> str:
    return APPROVAL_PATH.replace("{approval_id}", approval_id)


async def _held_answer(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApprovalRequired)
    approval = exc.approval
    body = {
        "approval_id": approval.approval_id,
        "status": approval.status,
        "reason": approval.reason,
        "expires_at": approval.expires_at.isoformat(),
    }
    return JSONResponse(
        body, status_code=202, headers={"Location": location_of(approval.approval_id)}
    )


def install_approvals(app: FastAPI, gates: Gates) -> None:
    app.state.approval_gates = gates
    app.add_exception_handler(ApprovalRequired, _held_answer)
