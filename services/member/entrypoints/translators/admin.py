"""Tenant settings, tier programs, history and search between protobuf and the domain."""

from __future__ import annotations

from collections.abc import Mapping

from libs.languages_wire import fill_translations, translations_from_pb
from libs.timestamps import aware, timestamp
from loyalty.member.v1 import member_pb2 as pb
from services.member.domain.attributes import AttributeType
from services.member.domain.history import AuditEntry, ConsentChange, TierChange
from services.member.domain.search import DEFAULT_LIMIT, MemberQuery
from services.member.domain.tenants import TenantSettings
from services.member.domain.tiers import Tier, TierProgram, parse_downgrade_policy, parse_multiplier
from services.member.entrypoints.translators.members import actor_message, member_message
from services.member.handlers.privacy import MemberExport


def settings_from(message: pb.TenantSettings) -> TenantSettings:
    return TenantSettings(
        default_region=message.default_region, time_zone=message.time_zone or "UTC"
    )


def settings_message(settings: TenantSettings) -> pb.TenantSettings:
    return pb.TenantSettings(default_region=settings.default_region, time_zone=settings.time_zone)


def schema_message(schema: Mapping[str, AttributeType]) -> pb.AttributeSchema:
    return pb.AttributeSchema(attributes={name: kind.value for name, kind in schema.items()})


def program_from(message: pb.TierProgram) -> TierProgram:
    return TierProgram(
        tiers=tuple(
            Tier(
                code=t.code,
                name=t.name,
                threshold=t.threshold,
                multiplier=parse_multiplier(t.multiplier or "1", f"tiers[{i}].multiplier"),
                translations=translations_from_pb(t.translations),
            )
            for i, t in enumerate(message.tiers)
        ),
        qualifying_metric=message.qualifying_metric,
        window_days=message.window_days,
        downgrade_grace_days=message.downgrade_grace_days,
        downgrade_policy=parse_downgrade_policy(message.downgrade_policy),
    )


def program_tier_message(t: Tier) -> pb.Tier:
    message = pb.Tier(code=t.code, name=t.name, threshold=t.threshold, multiplier=str(t.multiplier))
    fill_translations(message.translations, t.translations)
    return message


def program_message(program: TierProgram) -> pb.TierProgram:
    return pb.TierProgram(
        tiers=[program_tier_message(t) for t in program.tiers],
        qualifying_metric=program.qualifying_metric,
        window_days=program.window_days,
        downgrade_grace_days=program.downgrade_grace_days,
        version=program.version,
        downgrade_policy=program.downgrade_policy.value,
    )


def audit_message(entry: AuditEntry) -> pb.AuditEntry:
    return pb.AuditEntry(
        entry_id=entry.entry_id,
        action=entry.action,
        fields=list(entry.fields),
        actor=actor_message(entry.actor),
        at=timestamp(entry.at),
    )


def consent_change_message(change: ConsentChange) -> pb.ConsentChange:
    return pb.ConsentChange(
        purpose=change.purpose,
        granted=change.granted,
        channel=change.channel,
        source=change.source,
        changed_at=timestamp(change.at),
        actor=actor_message(change.actor),
    )


def tier_change_message(change: TierChange) -> pb.TierChange:
    return pb.TierChange(
        from_tier=change.from_code,
        to_tier=change.to_code,
        reason=change.reason,
        note=change.note,
        changed_at=timestamp(change.at),
        actor=actor_message(change.actor),
    )


def export_message(export: MemberExport) -> pb.MemberExport:
    history = export.history
    return pb.MemberExport(
        member=member_message(export.view),
        consent_history=[consent_change_message(c) for c in history.consents],
        tier_history=[tier_change_message(t) for t in history.tiers],
        audit=[audit_message(a) for a in history.audit],
        exported_at=timestamp(export.exported_at),
    )


def query_from(request: pb.SearchMembersRequest) -> MemberQuery:
    return MemberQuery(
        tier=request.tier,
        channel=request.enrolled_channel,
        enrolled_from=aware(request.enrolled_from) if request.HasField("enrolled_from") else None,
        enrolled_to=aware(request.enrolled_to) if request.HasField("enrolled_to") else None,
        preferred_store_id=request.preferred_store_id,
        status=request.status,
        consented_to=request.consented_to,
        cursor=request.cursor,
        limit=request.limit or DEFAULT_LIMIT,
    )
