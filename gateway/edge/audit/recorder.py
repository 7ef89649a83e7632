"""Writes the audit entry of an operator's request before its answer completes.

A pure ASGI middleware outside the error guard, so it sees every final status, 500s
included. It records a request whose caller admission knew (`state.caller`) when that
caller is an operator (signed in, or an operator key) and the request may change
something (any method but GET, HEAD and OPTIONS) or is a declared read of personal data.
The entry is written before the last part of the answer is sent; the answer is not held
back otherwise. If the entry cannot be written the answer still goes out (the change
already happened) and `audit_record_failed` is logged as an error.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.edge.audit.declared import (
    STATE_KEY,
    Caller,
    Pending,
    Reader,
    Snapshot,
    approved_run,
    declaration,
    ids_by_kind,
    operator_caller,
)
from gateway.edge.audit.trail import (
    READ_METHODS,
    SIGN_IN_KEY,
    AuditEntry,
    Origin,
    Resource,
    SignInAttempt,
    actor_of,
    changes_between,
    resources_from_path,
    value_at,
)
from gateway.edge.routing import route_template
from libs.ids import new_id
from libs.logging import get_logger

log = get_logger(__name__)
# Answers read for the ids they name (a created campaign's id); larger ones are not.
MAX_ANSWER_BYTES = 256 * 1024


def _caller(scope: Scope) -> Caller | None:
    return operator_caller(scope.get("state", {}).get("caller"))


class AuditRecorder:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        answer = bytearray()

        async def recording_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body" and start is not None:
                if len(answer) <= MAX_ANSWER_BYTES:
                    answer.extend(message.get("body", b""))
                if not message.get("more_body"):
                    await self._record(scope, start, bytes(answer))
            await send(message)

        await self.app(scope, receive, recording_send)

    async def _record(self, scope: Scope, start: Message, answer: bytes) -> None:
        caller = _caller(scope)
        attempt = scope.get("state", {}).get(SIGN_IN_KEY)
        if caller is None and not isinstance(attempt, SignInAttempt):
            return
        try:
            if caller is None:
                entry: AuditEntry | None = _sign_in_entry(scope, attempt, start)
            else:
                entry = await self._entry(scope, caller, start, answer)
            if entry is not None:
                await scope["app"].state.container.audit.append(entry)
        except Exception as exc:
            log.error("audit_record_failed", error=repr(exc), path=scope.get("path"))

    async def _entry(
        self, scope: Scope, caller: Caller, start: Message, answer: bytes
    ) -> AuditEntry | None:
        method = scope["method"]
        route = route_template(scope) or "unmatched"
        app_state = scope["app"].state
        declared = declaration(app_state, method, route)
        if method in READ_METHODS and not declared.personal_read:
            return None
        pending = scope.get("state", {}).get(STATE_KEY)
        if not isinstance(pending, Pending):  # refused or replayed before admission finished
            found = resources_from_path(scope.get("path_params", {})) + approved_run(scope)
            pending = Pending(declared, found)
        status = int(start["status"])
        headers = Headers(raw=start.get("headers", []))
        replayed = headers.get("idempotency-replayed") == "true"
        resources = pending.resources + _answer_resources(answer, declared.answer_ids, status)
        changes: tuple[Any, ...] = ()
        if declared.reader is not None and status < 400 and not replayed:
            after = await _read_after(declared.reader, app_state, caller, resources)
            before = pending.before
            personal = (before.personal if before else frozenset()) | (
                after.personal if after else frozenset()
            )
            changes = changes_between(
                before.values if before else None, after.values if after else None, personal
            )
        return AuditEntry(
            entry_id=new_id("au_"),
            tenant_id=caller.tenant_id,
            at=datetime.now(UTC),
            actor=actor_of(caller.key_id, caller.role, caller.stores),
            origin=_origin(scope),
            method=method,
            route=route,
            status=status,
            resources=tuple(dict.fromkeys(resources)),
            changes=changes,
            replayed=replayed,
        )


def _origin(scope: Scope) -> Origin:
    client = scope.get("client")
    return Origin(
        client_address=client[0] if client else "unknown",
        user_agent=Headers(scope=scope).get("user-agent", "")[:300],
        request_id=str(scope.get("state", {}).get("request_id", "")),
    )


def _sign_in_entry(scope: Scope, attempt: SignInAttempt, start: Message) -> AuditEntry:
    """An operator's sign-in (or sign-in refused): who tried, from where, and the status."""
    known = attempt.actor.kind == "operator"
    refused = attempt.refused_in_window
    return AuditEntry(
        entry_id=new_id("au_"),
        tenant_id=attempt.tenant_id,
        at=datetime.now(UTC),
        actor=attempt.actor,
        origin=_origin(scope),
        method=scope["method"],
        route=route_template(scope) or "unmatched",
        status=int(start["status"]),
        resources=(Resource("operator", attempt.actor.id),) if known else (),
        extra={} if refused is None else {"refused_in_window": refused},
    )


async def _read_after(
    reader: Reader, app_state: Any, caller: Caller, resources: list[Resource]
) -> Snapshot | None:
    try:
        return await reader(app_state, caller.tenant_id, ids_by_kind(resources))
    except Exception as exc:  # the entry is still written, without the fields after
        log.warning("audit_after_unreadable", error=repr(exc))
        return None


def _answer_resources(answer: bytes, answer_ids: Mapping[str, str], status: int) -> list[Resource]:
    if not answer_ids or status >= 400 or not answer:
        return []
    try:
        document = json.loads(answer)
    except ValueError:
        return []
    found = []
    for name, kind in answer_ids.items():
        value = value_at(document, name)
        if isinstance(value, str) and value:
            found.append(Resource(kind, value))
    return found
