"""What every authenticated request passes after its key is known, in the order docs/api.md
sets: who is calling (401, in `authenticate`), then the checks below, then the body."""

from __future__ import annotations

from fastapi import Request

from gateway.access.approvals.hold import hold_for_approval
from gateway.access.member_scope import check_member_scope
from gateway.access.permissions import principal_of, rule_for
from gateway.access.store_scope import check_member_store
from gateway.container import Container
from gateway.edge.audit.declared import begin_audit
from gateway.edge.idempotency.guard import begin_idempotent
from gateway.edge.limits.policy import retry_after_seconds
from gateway.edge.problems import ApiProblem
from gateway.edge.routing import route_template
from gateway.tenancy.keys import ApiKey
from libs.logging import get_logger

log = get_logger(__name__)


async def admit(
    request: Request, container: Container, caller: ApiKey, *, suspended: bool | None = None
) -> None:
    """Record the caller for the middlewares, refuse a suspended tenant's credentials
    (403), check the permission matrix (403), keep a
    member token to its member (404) and app keys off members' own routes (403), take a
    rate-limit token (429), keep a store manager to their stores' members (403), claim
    or replay an Idempotency-Key, note for the audit trail what the change touches, then
    hold it for a second operator's approval where the tenant's policy says so (202).
    `suspended` is the tenant's suspension flag when the caller read it this request, in
    a round trip with other reads (gateway/points/fast_read.py)."""
    request.state.caller = caller
    if suspended is None:
        await check_not_suspended(container, caller.tenant_id)
    elif suspended:
        raise_suspended()
    check_permission(request, caller)
    await check_member_scope(request, container.policies, container.member, caller)
    await take_rate_limit_token(container, caller)
    await check_member_store(request, container.member, caller)
    await begin_idempotent(
        request,
        container.idempotency,
        principal=caller.key_id,
        wait_seconds=container.settings.idempotency_wait_seconds,
    )
    await begin_audit(request, caller)
    await hold_for_approval(request, container.approvals, caller)


async def check_not_suspended(container: Container, tenant_id: str) -> None:
    """403 `tenant_suspended` for any credential of a suspended tenant; read per request,
    never cached, so a suspension holds in every gateway process from the next request."""
    if await container.suspensions.is_suspended(tenant_id):
        raise_suspended()


def raise_suspended() -> None:
    detail = "this tenant is suspended; its platform administrator can resume it"
    raise ApiProblem(403, "tenant_suspended", detail)


async def take_rate_limit_token(container: Container, caller: ApiKey) -> None:
    policy = await container.policies.policy(caller.tenant_id)
    decision = await container.limiter.take_batched(
        caller.tenant_id, caller.key_id, policy.rate_limits
    )
    if decision.allowed:
        return
    seconds = retry_after_seconds(decision.wait_seconds)
    whose = "this API key" if decision.limited_by == "key" else "this tenant"
    raise ApiProblem(
        429,
        "rate_limited",
        f"too many requests for {whose}; retry after {seconds} s",
        headers={"Retry-After": str(seconds)},
    )


def check_permission(request: Request, caller: ApiKey) -> None:
    template = route_template(request.scope) or request.url.path
    rule = rule_for(request.app.state.matrix, request.method, template)
    if rule is None:
        log.error("route_missing_from_permission_matrix", method=request.method, path=template)
        raise ApiProblem(403, "forbidden", "this endpoint is not open to anyone yet")
    principal = principal_of(caller)
    if not rule.permits(principal, caller.scopes):
        raise ApiProblem(403, "forbidden", f"a {principal} may not use this endpoint")
