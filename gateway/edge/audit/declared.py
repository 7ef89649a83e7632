"""What a route declares to the audit trail, and the reading of "before" once it is admitted.

Every operator's change is recorded without any declaration (who, when, from where, the
route, its path's ids and the outcome). A route declares more where it helps: a reader
of the fields it changes (read before the route runs and again after it succeeded, so
the entry holds the fields that changed), ids named in its body or its answer, or that
it is a read of a member's personal data (reads are otherwise not recorded).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from fastapi import Request

from gateway.edge.audit.trail import Resource, resources_from_path, value_at
from gateway.edge.routing import route_template
from libs.logging import get_logger

log = get_logger(__name__)
STATE_KEY = "audit"


class Caller(Protocol):
    """What the trail needs of a caller (an `ApiKey` of gateway.tenancy)."""

    @property
    def key_id(self) -> str: ...
    @property
    def tenant_id(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def role(self) -> str | None: ...
    @property
    def stores(self) -> tuple[str, ...]: ...
    @property
    def member_id(self) -> str | None: ...


def operator_caller(caller: object) -> Caller | None:
    """The caller, if an operator (signed in, or an operator key); None otherwise."""
    if getattr(caller, "channel", None) != "operator" or getattr(caller, "member_id", None):
        return None
    return caller  # type: ignore[return-value]


@dataclass(frozen=True)
class Snapshot:
    """The fields of a resource as a reader saw them; `personal` names those whose values
    never reach the trail (top-level or dotted names)."""

    values: Mapping[str, Any]
    personal: frozenset[str] = frozenset()


# (the app's state, the tenant, the resources by kind) -> the fields, or None if absent
Reader = Callable[[Any, str, Mapping[str, str]], Awaitable[Snapshot | None]]


@dataclass(frozen=True)
class Audited:
    reader: Reader | None = None
    body_ids: Mapping[str, str] = field(default_factory=dict)  # body field -> kind
    answer_ids: Mapping[str, str] = field(default_factory=dict)  # answer field (dotted) -> kind
    personal_read: bool = False


Declarations = Mapping[tuple[str, str], Audited]
NOT_DECLARED = Audited()


@dataclass
class Pending:
    """What admission learnt for the recorder: the declaration, ids, the fields before."""

    declared: Audited
    resources: list[Resource]
    before: Snapshot | None = None


def declaration(app_state: Any, method: str, template: str | None) -> Audited:
    declarations: Declarations = getattr(app_state, "audit_declarations", {})
    return declarations.get((method, template or ""), NOT_DECLARED)


def ids_by_kind(resources: list[Resource]) -> dict[str, str]:
    return {r.kind: r.id for r in resources}


def _body_resources(raw: bytes, body_ids: Mapping[str, str]) -> list[Resource]:
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        return []
    found = []
    for name, kind in body_ids.items():
        value = value_at(body, name)
        if isinstance(value, str) and value:
            found.append(Resource(kind, value))
    return found


def approved_run(scope: Mapping[str, Any]) -> list[Resource]:
    """The approval whose run this request is (run as its maker), if any."""
    approval_id = scope.get("state", {}).get("approval_id")
    return [Resource("approval", approval_id)] if isinstance(approval_id, str) else []


async def begin_audit(request: Request, caller: Caller) -> None:
    """For an operator's admitted change: note its resources and read its fields before."""
    if operator_caller(caller) is None:
        return
    declared = declaration(request.app.state, request.method, route_template(request.scope))
    resources = resources_from_path(request.path_params)
    if declared.body_ids:
        resources += _body_resources(await request.body(), declared.body_ids)
    resources += approved_run(request.scope)
    pending = Pending(declared, resources)
    setattr(request.state, STATE_KEY, pending)
    if declared.reader is None:
        return
    try:
        pending.before = await declared.reader(
            request.app.state, caller.tenant_id, ids_by_kind(resources)
        )
    except Exception as exc:  # the change goes on; the entry says what it could
        log.warning("audit_before_unreadable", error=repr(exc))
