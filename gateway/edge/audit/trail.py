"""What an audit entry holds, and how a change is told without personal values (pure)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# A value longer than this (as JSON) is stored as a marker: the trail says the field
# changed, the service that owns it keeps the value.
MAX_VALUE_CHARS = 2000
TOO_LONG = "[too long]"
# Methods that change nothing; of them only the routes in `PERSONAL_READS` are recorded.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Actor:
    """Who acted: an operator signed in (`operator`, their id), an operator key (`key`), a
    platform administrator (`platform`), someone signing in to no known operator's account
    (`unknown_operator`), or the admin command line (`cli`, the OS user running it)."""

    kind: str
    id: str
    role: str
    stores: tuple[str, ...] = ()


# A failed sign-in whose e-mail names no operator: never the typed e-mail or password.
UNKNOWN_OPERATOR = Actor(kind="unknown_operator", id="unknown", role="unknown")
# The scope's state key under which the sign-in route tells the recorder who tried.
SIGN_IN_KEY = "sign_in"


@dataclass(frozen=True)
class SignInAttempt:
    """An operator's sign-in as the trail records it: in whose trail, as whom (the
    operator whose account the e-mail named, or `UNKNOWN_OPERATOR`), and for a refused
    (throttled) attempt how many were refused in its window so far."""

    tenant_id: str
    actor: Actor
    refused_in_window: int | None = None


@dataclass(frozen=True)
class Origin:
    """Where the request came from."""

    client_address: str
    user_agent: str
    request_id: str


@dataclass(frozen=True)
class Resource:
    kind: str
    id: str


@dataclass(frozen=True)
class Change:
    """One field that changed; `personal` fields carry no values at all."""

    field: str
    before: Any = None
    after: Any = None
    personal: bool = False


@dataclass(frozen=True)
class AuditEntry:
    entry_id: str
    tenant_id: str
    at: datetime
    actor: Actor
    origin: Origin
    method: str
    route: str
    status: int
    resources: tuple[Resource, ...] = ()
    changes: tuple[Change, ...] = ()
    replayed: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def action(self) -> str:
        return f"{self.method} {self.route}"


def actor_of(key_id: str, role: str | None, stores: Iterable[str] = ()) -> Actor:
    """A signed-in operator's session carries their operator id (`op_...`), a platform
    administrator their id (`pa_...`, role `platform`); anything else of the operator
    channel is an operator key (`key_...`), `admin` when it has no role."""
    kind = {"op_": "operator", "pa_": "platform"}.get(key_id[:3], "key")
    return Actor(kind=kind, id=key_id, role=role or "admin", stores=tuple(stores))


def flattened(document: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects as dotted field names; lists and scalars are values."""
    flat: dict[str, Any] = {}
    for name, value in document.items():
        path = f"{prefix}{name}"
        if isinstance(value, Mapping) and value:
            flat.update(flattened(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def _is_personal(path: str, personal: frozenset[str]) -> bool:
    return any(path == p or path.startswith(f"{p}.") for p in personal)


def _kept(value: Any) -> Any:
    return TOO_LONG if len(json.dumps(value, default=str)) > MAX_VALUE_CHARS else value


def changes_between(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    personal: frozenset[str] = frozenset(),
) -> tuple[Change, ...]:
    """The fields that differ, in name order. A field under one of `personal` (a top-level
    name such as `profile`, or a dotted one) is named only: its values never leave here."""
    old = flattened(before or {})
    new = flattened(after or {})
    changed = []
    for path in sorted(set(old) | set(new)):
        if old.get(path) == new.get(path):
            continue
        if _is_personal(path, personal):
            changed.append(Change(field=path, personal=True))
        else:
            changed.append(Change(path, _kept(old.get(path)), _kept(new.get(path))))
    return tuple(changed)


def value_at(document: Any, dotted: str) -> Any:
    """`document["a"]["b"]` for `a.b`, or None when any step is missing."""
    for step in dotted.split("."):
        if not isinstance(document, Mapping):
            return None
        document = document.get(step)
    return document


def resources_from_path(params: Mapping[str, Any]) -> list[Resource]:
    """Every `<kind>_id` path parameter names a resource; others (an identity's value in
    a path) are never recorded."""
    return [
        Resource(name.removesuffix("_id"), str(value))
        for name, value in params.items()
        if name.endswith("_id") and isinstance(value, str) and value
    ]
