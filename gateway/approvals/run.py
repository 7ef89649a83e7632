"""Running an approved request: the stored request goes through the same route, in
process, as its maker (their id, role, stores and scopes), exactly once.

Exactly once because only the approval that took the request from `pending` to
`executing` runs it, and because it runs with the `Idempotency-Key` `approval-<id>`
scoped to the maker: a run that is started again replays the first answer.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message

from gateway.access.approvals.hold import APPROVED_CALLER
from gateway.access.approvals.store import Approval
from gateway.tenancy.keys import ApiKey

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
