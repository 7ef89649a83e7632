"""The admin command line's changes in the audit trail (docs/audit.md).

Each command that changes something (`keys create|rotate|revoke`, `operators create|disable|
enable|end-sessions`, `tenants configure|create|suspend|resume`, `platform create-admin|
revoke-admin`) records one entry once it succeeded, in the same store and format as the
gateway's recorder: in the changed tenant's trail (the platform's, `_platform`, for
platform administrators), by actor `cli` (the OS user who ran it, `role` `cli`), action
`CLI <command> <action>`, the resources it named, and the fields before and after where
the trail has a reader of the resource (gateway/audit/readers.py). Listing commands
change nothing and are not recorded; a command that fails changes nothing either.
"""

from __future__ import annotations

import argparse
import getpass
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from gateway.audit.readers import READERS
from gateway.container import Stores
from gateway.edge.audit.declared import Snapshot
from gateway.edge.audit.trail import (
    Actor,
    AuditEntry,
    Origin,
    Resource,
    changes_between,
    value_at,
)
from gateway.tenancy.platform_admins import PLATFORM_TRAIL
from libs.ids import new_id
from libs.logging import get_logger

log = get_logger(__name__)
METHOD = "CLI"
USER_AGENT = "python -m gateway.admin"


@dataclass(frozen=True)
class CliAudited:
    """What a command's entry names: the reader of the resource it changes (a kind of
    `READERS`), the resources named by its arguments and by its answer, and whether it
    changes the platform rather than a tenant."""

    reader: str | None = None
    from_args: Mapping[str, str] = field(default_factory=dict)  # argument -> kind
    from_answer: Mapping[str, str] = field(default_factory=dict)  # answer field -> kind
    platform: bool = False


_OPERATOR = CliAudited("operator", from_args={"operator_id": "operator"})
_KEY = CliAudited("key", from_args={"key_id": "key"})
AUDITED: dict[tuple[str, str], CliAudited] = {
    ("keys", "create"): CliAudited("key", from_answer={"key.key_id": "key"}),
    ("keys", "rotate"): _KEY,
    ("keys", "revoke"): _KEY,
    ("operators", "create"): CliAudited("operator", from_answer={"operator_id": "operator"}),
    ("operators", "disable"): _OPERATOR,
    ("operators", "enable"): _OPERATOR,
    ("operators", "end-sessions"): CliAudited(from_args={"operator_id": "operator"}),
    ("tenants", "configure"): CliAudited("tenant"),
    ("tenants", "create"): CliAudited("tenant"),
    ("tenants", "suspend"): CliAudited("tenant"),
    ("tenants", "resume"): CliAudited("tenant"),
    ("platform", "create-admin"): CliAudited(
        from_answer={"admin_id": "platform_admin"}, platform=True
    ),
    ("platform", "revoke-admin"): CliAudited(
        from_args={"admin_id": "platform_admin"}, platform=True
    ),
}


def os_user() -> str:
    """Who runs the command, as the operating system knows them."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name, no passwd entry (a bare container)
        return "unknown"


@dataclass
class CliChange:
    """One command's change on its way to the trail: the fields before, then the entry."""

    stores: Stores
    args: argparse.Namespace
    audited: CliAudited
    before: Snapshot | None = None

    @property
    def tenant_id(self) -> str:
        return PLATFORM_TRAIL if self.audited.platform else str(self.args.tenant)

    def _resources(self, answer: Any) -> list[Resource]:
        found = [] if self.audited.platform else [Resource("tenant", self.tenant_id)]
        for name, kind in self.audited.from_args.items():
            found.append(Resource(kind, str(getattr(self.args, name))))
        for name, kind in self.audited.from_answer.items():
            value = value_at(answer, name)
            if isinstance(value, str) and value:
                found.append(Resource(kind, value))
        return found

    async def _read(self, resources: list[Resource]) -> Snapshot | None:
        if self.audited.reader is None:
            return None
        ids = {r.kind: r.id for r in resources}
        try:  # the readers take the app's state; the command line's stores serve them
            state = SimpleNamespace(container=self.stores)
            return await READERS[self.audited.reader](state, self.tenant_id, ids)
        except Exception as exc:  # the entry is still written, without these fields
            log.warning("audit_cli_unreadable", error=repr(exc))
            return None

    async def read_before(self) -> None:
        self.before = await self._read(self._resources(None))

    async def record(self, answer: Any) -> None:
        """Append the entry of the change made; a failure is logged (the change is made)."""
        resources = self._resources(answer)
        after = await self._read(resources)
        personal = frozenset().union(*(s.personal for s in (self.before, after) if s))
        changes = changes_between(
            self.before.values if self.before else None,
            after.values if after else None,
            personal,
        )
        entry = AuditEntry(
            entry_id=new_id("au_"),
            tenant_id=self.tenant_id,
            at=datetime.now(UTC),
            actor=Actor(kind="cli", id=os_user(), role="cli"),
            origin=Origin(socket.gethostname(), USER_AGENT, new_id()),
            method=METHOD,
            route=f"{self.args.command} {self.args.action}",
            status=201 if self.args.action.startswith("create") else 200,
            resources=tuple(dict.fromkeys(resources)),
            changes=changes,
        )
        try:
            await self.stores.audit.append(entry)
        except Exception as exc:
            log.error("audit_record_failed", error=repr(exc), command=entry.route)


def cli_change(stores: Stores, args: argparse.Namespace) -> CliChange | None:
    audited = AUDITED.get((args.command, args.action))
    return None if audited is None else CliChange(stores, args, audited)
