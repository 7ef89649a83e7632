"""Running an approved request: the stored request goes through the same route, in
process, as its maker (their id, role, stores and scopes), exactly once.

Exactly once because only the approval that took the request from `pending` to
`executing` runs it, under a lease renewed while it runs, and because it runs with the
`Idempotency-Key` `approval-<id>` scoped to the maker: a run started again (by the
recovery of a gateway that died, gateway/approvals/recovery.py) replays the first
answer, or, when the first run never finished, runs it now.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from starlette.types import ASGIApp, Message

from gateway.access.approvals.hold import APPROVED_CALLER
from gateway.access.approvals.store import Approval, ApprovalStore, Lease
from gateway.tenancy.keys import ApiKey
from libs.logging import get_logger

log = get_logger(__name__)

# Never kept on the approval: a member's personal data, a key's secret.
_LEFT_OUT = ("identities", "profile", "consents", "secret")
_MAX_RESULT_BYTES = 64 * 1024


def _caller(approval: Approval) -> ApiKey:
    maker = approval.maker
    return ApiKey(
        key_id=maker.key_id,
        tenant_id=approval.tenant_id,
        channel="operator",
        scopes=frozenset(maker.scopes),
        created_at=approval.created_at,
        store_id=maker.store_id,
        role=maker.role,
        stores=maker.stores,
    )


def kept_result(raw: bytes) -> Any:
    """The answer as the approval keeps it: JSON without personal fields or secrets."""
    if len(raw) > _MAX_RESULT_BYTES:
        return {"omitted": "the answer was too large to keep"}
    try:
        document = json.loads(raw) if raw else None
    except ValueError:
        return None
    if isinstance(document, dict):
        document = {k: v for k, v in document.items() if k not in _LEFT_OUT}
        if isinstance(document.get("member"), dict):
            member = document["member"]
            document["member"] = {k: v for k, v in member.items() if k not in _LEFT_OUT}
    return document


async def run_approved(
    app: ASGIApp, approval: Approval, client: tuple[str, int]
) -> tuple[int, bytes]:
    """The stored request's answer (status and body) through the app's own routes."""
    held = approval.request
    headers = [
        (b"content-type", held.content_type.encode("latin-1")),
        (b"idempotency-key", f"approval-{approval.approval_id}".encode()),
        (b"user-agent", b"loyalty-approvals"),
        (b"host", b"approvals.internal"),
    ]
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": held.method,
        "scheme": "http",
        "path": held.path,
        "raw_path": held.path.encode(),
        "root_path": "",
        "query_string": held.query.encode(),
        "headers": headers,
        "client": client,
        "server": ("approvals.internal", 80),
        "state": {APPROVED_CALLER: _caller(approval), "approval_id": approval.approval_id},
    }
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": held.body, "more_body": False}

    status = 500
    body = bytearray()

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    await app(scope, receive, send)
    return status, bytes(body)


def still_running(status: int, answer: bytes) -> bool:
    """The idempotency layer found the key's first request still running (another run of
    this approval, or a claim of a gateway that died, free once its lease runs out)."""
    if status != 409:
        return False
    try:
        problem = json.loads(answer)
    except ValueError:
        return False
    return isinstance(problem, dict) and problem.get("code") == "idempotency_in_progress"


async def _renewing(store: ApprovalStore, approval_id: str, lease: Lease) -> None:
    """Extend the lease a third of the way through, for as long as the run lasts."""
    while True:
        await asyncio.sleep(lease.duration.total_seconds() / 3)
        try:
            if not await store.renew(approval_id, lease):
                log.warning("approval_lease_lost", approval_id=approval_id)
                return
        except Exception as exc:  # the database away: try again at the next third
            log.warning("approval_lease_not_renewed", approval_id=approval_id, error=repr(exc))


async def run_leased(
    app: ASGIApp,
    store: ApprovalStore,
    approval: Approval,
    lease: Lease,
    client: tuple[str, int],
) -> Approval | None:
    """Run an `executing` approval held under `lease` and store its outcome; None when
    the run found its key still running elsewhere (nothing ran: try again later)."""
    renewing = asyncio.create_task(_renewing(store, approval.approval_id, lease))
    try:
        status, answer = await run_approved(app, approval, client)
    finally:
        renewing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewing
    if still_running(status, answer):
        log.info("approval_run_in_progress_elsewhere", approval_id=approval.approval_id)
        return None
    return await store.finish(approval, status=status, result=kept_result(answer))
