"""What happened to a member, kept for the member and for auditors.

Audit entries name the fields that changed, never their values, so the trail can be
kept after erasure without keeping personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from services.member.domain.actors import Actor


@dataclass(frozen=True)
class AuditEntry:
    entry_id: str
    tenant_id: str
    member_id: str
    action: str
    fields: tuple[str, ...]
    actor: Actor
    at: datetime


@dataclass(frozen=True)
class ConsentChange:
    tenant_id: str
    member_id: str
    purpose: str
    granted: bool
    channel: str
    source: str
    actor: Actor
    at: datetime


@dataclass(frozen=True)
class TierChange:
    tenant_id: str
    member_id: str
    from_code: str
    to_code: str
    reason: str
    actor: Actor
    at: datetime
    note: str = ""


@dataclass(frozen=True)
class MemberHistory:
    consents: list[ConsentChange] = field(default_factory=list)
    tiers: list[TierChange] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    next_cursor: str = ""
