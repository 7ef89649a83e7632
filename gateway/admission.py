"""What every authenticated request passes after its key is known, in the order API.md
sets: who is calling (401, in `authenticate`), then the checks below, then the body."""

from __future__ import annotations

from fastapi import Request

from gateway.container import Container
from gateway.idempotency.guard import begin_idempotent
from gateway.keys import ApiKey


async def admit(request: Request, container: Container, caller: ApiKey) -> None:
    """Record the caller for the middlewares, then claim or replay an Idempotency-Key."""
    request.state.caller = caller
    await begin_idempotent(
        request,
        container.idempotency,
        principal=caller.key_id,
        wait_seconds=container.settings.idempotency_wait_seconds,
    )
