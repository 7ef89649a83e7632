"""The JSON of the audit trail's search (additions to docs/api.md, documented in OpenAPI)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from gateway.edge.audit.trail import AuditEntry
from gateway.edge.fields import Timestamp


class AuditActorOut(BaseModel):
    kind: str = Field(
        description="`operator` (signed in, or signing in), `key` (an operator key), "
        "`platform` (a platform administrator), `unknown_operator` (a sign-in naming no "
        "operator's account) or `cli` (the admin command line)"
    )
    id: str = Field(
        description="The operator's id (`op_...`), the key's id, the platform "
        "administrator's (`pa_...`), `unknown`, or the OS user who ran the command line"
    )
    role: str
    stores: list[str] = Field(default_factory=list)


class AuditOriginOut(BaseModel):
    client_address: str
    user_agent: str
    request_id: str


class AuditResourceOut(BaseModel):
    kind: str
    id: str


class AuditChangeOut(BaseModel):
    """One field that changed. A personal field (`personal: true`) carries no values."""

    field: str
    before: Any = None
    after: Any = None
    personal: bool = False


class OperatorAuditEntryOut(BaseModel):
    entry_id: str
    at: Timestamp
    actor: AuditActorOut
    origin: AuditOriginOut
    action: str = Field(description="The method and the route's template")
    method: str
    route: str
    status: int = Field(description="The HTTP status the request was answered with")
    resources: list[AuditResourceOut]
    changes: list[AuditChangeOut]
    replayed: bool = Field(description="The answer was an `Idempotency-Key` replay")
    refused_in_window: int | None = Field(
        None,
        description="A refused (throttled) sign-in: how many its tenant's sign-ins were "
        "refused in the minute so far (entries are kept for the 1st, 10th, 100th...)",
    )

    @classmethod
    def of(cls, entry: AuditEntry) -> OperatorAuditEntryOut:
        return cls(
            entry_id=entry.entry_id,
            at=entry.at,
            actor=AuditActorOut(
                kind=entry.actor.kind,
                id=entry.actor.id,
                role=entry.actor.role,
                stores=list(entry.actor.stores),
            ),
            origin=AuditOriginOut(
                client_address=entry.origin.client_address,
                user_agent=entry.origin.user_agent,
                request_id=entry.origin.request_id,
            ),
            action=entry.action,
            method=entry.method,
            route=entry.route,
            status=entry.status,
            resources=[AuditResourceOut(kind=r.kind, id=r.id) for r in entry.resources],
            changes=[
                AuditChangeOut(field=c.field, before=c.before, after=c.after, personal=c.personal)
                for c in entry.changes
            ],
            replayed=entry.replayed,
            refused_in_window=entry.extra.get("refused_in_window"),
        )


class OperatorAuditPageOut(BaseModel):
    """Newest first; pass `next_cursor` as `cursor` for the next page (null on the last)."""

    entries: list[OperatorAuditEntryOut]
    next_cursor: str | None = None
