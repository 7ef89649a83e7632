"""The JSON of export and the audit trail (additions to docs/api.md, documented in OpenAPI)."""

from __future__ import annotations

from pydantic import BaseModel

from gateway.edge.fields import Timestamp
from gateway.members.answers import ActorOut, MemberOut

__all__ = ["ActorOut", "AuditEntryOut", "AuditPageOut", "MemberRecordOut"]


class AuditEntryOut(BaseModel):
    """One change: which fields, never their values."""

    entry_id: str
    action: str
    fields: list[str]
    actor: ActorOut
    at: Timestamp


class AuditPageOut(BaseModel):
    """Newest first; pass `next_cursor` as `cursor` for the next page (null on the last)."""

    entries: list[AuditEntryOut]
    next_cursor: str | None = None


class ConsentChangeOut(BaseModel):
    purpose: str
    granted: bool
    channel: str
    source: str
    changed_at: Timestamp
    actor: ActorOut


class ConsentHistoryOut(BaseModel):
    """Every change of the member's consents, newest first."""

    changes: list[ConsentChangeOut]


class TierChangeOut(BaseModel):
    from_tier: str | None = None
    to_tier: str
    reason: str
    note: str | None = None
    changed_at: Timestamp
    actor: ActorOut


class MemberRecordOut(BaseModel):
    """What the member service holds about the member (the export's first part)."""

    exported_at: Timestamp
    member: MemberOut
    consent_history: list[ConsentChangeOut]
    tier_history: list[TierChangeOut]
    audit: list[AuditEntryOut]
