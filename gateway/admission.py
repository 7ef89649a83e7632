"""What every authenticated request passes after its key is known, in the order API.md
sets: who is calling (401, in `authenticate`), then the checks below, then the body."""

from __future__ import annotations

from fastapi import Request

from gateway.container import Container
from gateway.idempotency.guard import begin_idempotent
from gateway.keys import ApiKey
from gateway.limits.policy import retry_after_seconds
from gateway.problems import ApiProblem


async def admit(request: Request, container: Container, caller: ApiKey) -> None:
    """Record the caller for the middlewares, take a rate-limit token (429), then claim or
    replay an Idempotency-Key."""
    request.state.caller = caller
    await take_rate_limit_token(container, caller)
    await begin_idempotent(
        request,
        container.idempotency,
        principal=caller.key_id,
        wait_seconds=container.settings.idempotency_wait_seconds,
    )


async def take_rate_limit_token(container: Container, caller: ApiKey) -> None:
    policy = await container.policies.policy(caller.tenant_id)
    decision = await container.limiter.take(caller.tenant_id, caller.key_id, policy.rate_limits)
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
