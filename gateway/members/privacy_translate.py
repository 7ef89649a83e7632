"""Export and audit messages of MemberService as the JSON of privacy_models."""

from __future__ import annotations

from gateway.members.privacy_answers import (
    AuditEntryOut,
    AuditPageOut,
    ConsentChangeOut,
    MemberRecordOut,
    TierChangeOut,
)
from gateway.members.translate import actor_from_proto, member_from_proto
from libs.timestamps import aware
from loyalty.member.v1 import member_pb2


def audit_entry_from_proto(entry: member_pb2.AuditEntry) -> AuditEntryOut:
    return AuditEntryOut(
        entry_id=entry.entry_id,
        action=entry.action,
        fields=list(entry.fields),
        actor=actor_from_proto(entry.actor),
        at=aware(entry.at),
    )


def audit_page_from_proto(reply: member_pb2.ListAuditEntriesResponse) -> AuditPageOut:
    return AuditPageOut(
        entries=[audit_entry_from_proto(e) for e in reply.entries],
        next_cursor=reply.next_cursor or None,
    )


def consent_change_from_proto(c: member_pb2.ConsentChange) -> ConsentChangeOut:
    return ConsentChangeOut(
        purpose=c.purpose,
        granted=c.granted,
        channel=c.channel,
        source=c.source,
        changed_at=aware(c.changed_at),
        actor=actor_from_proto(c.actor),
    )


def export_from_proto(export: member_pb2.MemberExport) -> MemberRecordOut:
    return MemberRecordOut(
        exported_at=aware(export.exported_at),
        member=member_from_proto(export.member),
        consent_history=[consent_change_from_proto(c) for c in export.consent_history],
        tier_history=[
            TierChangeOut(
                from_tier=t.from_tier or None,
                to_tier=t.to_tier,
                reason=t.reason,
                note=t.note or None,
                changed_at=aware(t.changed_at),
                actor=actor_from_proto(t.actor),
            )
            for t in export.tier_history
        ],
        audit=[audit_entry_from_proto(a) for a in export.audit],
    )
