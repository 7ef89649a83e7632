"""Between protobuf messages and the member domain: translation only, no rules."""

from __future__ import annotations

from datetime import datetime

from google.protobuf.timestamp_pb2 import Timestamp

from loyalty.member.v1 import member_pb2 as pb
from services.member.domain.tenants import TenantSettings
from services.member.domain.tiers import Tier, TierProgram, parse_multiplier
from services.member.handlers.enrolment import EnrolMember, MemberView


def timestamp(value: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


def enrol_command(request: pb.EnrollMemberRequest) -> EnrolMember:
    profile = request.profile
    return EnrolMember(
        tenant_id=request.tenant_id,
        channel=request.channel,
        store_id=request.store_id,
        identities=[(i.type, i.value) for i in request.identities],
        name=profile.name,
        birthday=profile.birthday,
        email=profile.email,
        gender=profile.gender,
        preferred_store_id=profile.preferred_store_id,
        attributes=dict(profile.attributes),
        consents=dict(request.consents),
    )


def member_message(view: MemberView) -> pb.Member:
    member = view.member
    profile = member.profile
    message = pb.Member(
        member_id=member.member_id,
        tenant_id=member.tenant_id,
        status=member.status.value,
        identities=[pb.Identity(type=i.type.value, value=i.value) for i in member.identities],
        profile=pb.Profile(
            name=profile.name,
            birthday=profile.birthday.isoformat() if profile.birthday else "",
            email=profile.email,
            gender=profile.gender,
            preferred_store_id=profile.preferred_store_id,
            attributes=profile.attributes,
        ),
        consents=[
            pb.Consent(
                purpose=c.purpose.value,
                granted=c.granted,
                channel=c.channel,
                source=c.source,
                updated_at=timestamp(c.updated_at),
            )
            for c in member.consents.values()
        ],
        enrolled_at=timestamp(member.enrolled_at),
        enrolled_channel=member.enrolled_channel.value,
        enrolled_store_id=member.enrolled_store_id,
        merged_into=member.merged_into,
        version=member.version,
    )
    if member.tier is not None:
        message.tier.CopyFrom(
            pb.TierState(
                code=member.tier.code,
                name=member.tier.name,
                since=timestamp(member.tier.since),
                multiplier=str(view.tier_multiplier) if view.tier_multiplier is not None else "",
            )
        )
    return message


def settings_from(message: pb.TenantSettings) -> TenantSettings:
    return TenantSettings(
        default_region=message.default_region, time_zone=message.time_zone or "UTC"
    )


def settings_message(settings: TenantSettings) -> pb.TenantSettings:
    return pb.TenantSettings(default_region=settings.default_region, time_zone=settings.time_zone)


def program_from(message: pb.TierProgram) -> TierProgram:
    return TierProgram(
        tiers=tuple(
            Tier(
                code=t.code,
                name=t.name,
                threshold=t.threshold,
                multiplier=parse_multiplier(t.multiplier or "1", f"tiers[{i}].multiplier"),
            )
            for i, t in enumerate(message.tiers)
        ),
        qualifying_metric=message.qualifying_metric,
        window_days=message.window_days,
        downgrade_grace_days=message.downgrade_grace_days,
    )


def program_message(program: TierProgram) -> pb.TierProgram:
    return pb.TierProgram(
        tiers=[
            pb.Tier(code=t.code, name=t.name, threshold=t.threshold, multiplier=str(t.multiplier))
            for t in program.tiers
        ],
        qualifying_metric=program.qualifying_metric,
        window_days=program.window_days,
        downgrade_grace_days=program.downgrade_grace_days,
        version=program.version,
    )
