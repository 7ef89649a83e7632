"""Between protobuf messages and the member domain: translation only, no rules."""

from __future__ import annotations

from datetime import date

from libs.timestamps import timestamp
from loyalty.member.v1 import member_pb2 as pb
from services.member.domain.actors import Actor, Provenance, parse_actor
from services.member.domain.attributes import AttributeValue, as_text
from services.member.domain.identities import Identity
from services.member.domain.profile import Profile
from services.member.domain.tiers import TierState
from services.member.domain.wallet_holder import ResolvedMember
from services.member.handlers.common import MemberView
from services.member.handlers.enrolment import EnrolMember


def actor_from(message: pb.Actor, *, fallback_channel: str = "") -> Actor:
    return parse_actor(
        message.kind,
        message.channel,
        message.key_id,
        fallback_channel=fallback_channel,
        store_id=message.store_id,
    )


def actor_message(actor: Actor) -> pb.Actor:
    return pb.Actor(
        kind=actor.kind.value, channel=actor.channel, key_id=actor.key_id, store_id=actor.store_id
    )


def identity_message(identity: Identity, provenance: Provenance | None) -> pb.Identity:
    """A member's identity, with who asserted it when that was recorded."""
    message = pb.Identity(type=identity.type.value, value=identity.value)
    if provenance is not None:
        message.asserted_by.CopyFrom(actor_message(provenance.actor))
        message.asserted_at.CopyFrom(timestamp(provenance.at))
    return message


def attribute_from(value: pb.AttributeValue) -> AttributeValue | None:
    kind = value.WhichOneof("value")
    if kind is None:
        return None
    found: AttributeValue = getattr(value, kind)
    return found


def attribute_message(value: AttributeValue) -> pb.AttributeValue:
    if isinstance(value, bool):
        return pb.AttributeValue(bool_value=value)
    if isinstance(value, int):
        return pb.AttributeValue(int_value=value)
    if isinstance(value, date):
        return pb.AttributeValue(date_value=value.isoformat())
    return pb.AttributeValue(string_value=value)


def attributes_from(profile: pb.Profile) -> dict[str, AttributeValue]:
    """Typed attributes win over the text ones of the same name."""
    values: dict[str, AttributeValue] = dict(profile.attributes)
    for name, typed in profile.typed_attributes.items():
        value = attribute_from(typed)
        if value is not None:
            values[name] = value
    return values


def enrol_command(request: pb.EnrollMemberRequest) -> EnrolMember:
    profile = request.profile
    actor = actor_from(request.actor, fallback_channel=request.channel or "operator")
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
        attributes=attributes_from(profile),
        consents=dict(request.consents),
        actor=actor,
    )


def profile_message(profile: Profile) -> pb.Profile:
    return pb.Profile(
        name=profile.name,
        birthday=profile.birthday.isoformat() if profile.birthday else "",
        email=profile.email,
        gender=profile.gender,
        preferred_store_id=profile.preferred_store_id,
        attributes={k: as_text(v) for k, v in profile.attributes.items()},
        typed_attributes={k: attribute_message(v) for k, v in profile.attributes.items()},
    )


def tier_message(tier: TierState, multiplier: str) -> pb.TierState:
    message = pb.TierState(
        code=tier.code, name=tier.name, since=timestamp(tier.since), multiplier=multiplier
    )
    if tier.period_ends_at is not None:
        message.period_ends_at.CopyFrom(timestamp(tier.period_ends_at))
    if tier.manual is not None:
        manual = tier.manual
        message.manual.CopyFrom(
            pb.ManualTier(
                code=manual.code,
                reason=manual.reason,
                until=timestamp(manual.until),
                previous_code=manual.previous_code,
            )
        )
    return message


def _multiplier(view: MemberView) -> str:
    return str(view.tier_multiplier) if view.tier_multiplier is not None else ""


def member_message(view: MemberView) -> pb.Member:
    member = view.member
    message = pb.Member(
        member_id=member.member_id,
        tenant_id=member.tenant_id,
        status=member.status.value,
        identities=[identity_message(i, member.provenance.get(i)) for i in member.identities],
        profile=profile_message(member.profile),
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
        message.tier.CopyFrom(tier_message(member.tier, _multiplier(view)))
    return message


def resolved_message(resolved: ResolvedMember) -> pb.ResolveMemberResponse:
    """What a purchase needs of the member it is for; no personal data."""
    holder = resolved.holder
    message = pb.ResolveMemberResponse(
        member_id=holder.member_id,
        enrolled_at=timestamp(holder.enrolled_at),
        enrolled_store_id=holder.enrolled_store_id,
        birth_month=holder.birth_month,
        tier_name_translations=dict(resolved.tier_names),
    )
    if holder.tier is not None:
        multiplier = resolved.tier_multiplier
        message.tier.CopyFrom(
            tier_message(holder.tier, "" if multiplier is None else str(multiplier))
        )
    return message
