"""Between the member JSON of docs/api.md and the protobuf messages of MemberService."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from gateway.members.answers import ActorOut, IdentityOut, MemberOut, ProfileOut
from gateway.members.bodies import EnrollMemberBody
from gateway.shared.translate import TierNames, tier_from_proto
from libs.timestamps import aware
from loyalty.member.v1 import member_pb2


def _birthday(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def attribute_to_proto(value: bool | int | str) -> member_pb2.AttributeValue:
    if isinstance(value, bool):
        return member_pb2.AttributeValue(bool_value=value)
    if isinstance(value, int):
        return member_pb2.AttributeValue(int_value=value)
    return member_pb2.AttributeValue(string_value=value)


def _attribute_text(value: bool | int | str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def attributes_to_proto(
    profile: member_pb2.Profile, attributes: Mapping[str, bool | int | str]
) -> None:
    """Typed values for the service, and their text for readers of the older field."""
    for name, value in attributes.items():
        profile.attributes[name] = _attribute_text(value)
        profile.typed_attributes[name].CopyFrom(attribute_to_proto(value))


def attributes_from_proto(profile: member_pb2.Profile) -> dict[str, bool | int | str]:
    values: dict[str, bool | int | str] = dict(profile.attributes)
    for name, typed in profile.typed_attributes.items():
        kind = typed.WhichOneof("value")
        if kind is not None:
            values[name] = getattr(typed, kind)
    return values


def profile_from_proto(profile: member_pb2.Profile) -> ProfileOut:
    return ProfileOut(
        name=profile.name or None,
        birthday=_birthday(profile.birthday),
        email=profile.email or None,
        gender=profile.gender or None,
        preferred_store_id=profile.preferred_store_id or None,
        attributes=attributes_from_proto(profile) or None,
    )


def actor_from_proto(actor: member_pb2.Actor) -> ActorOut:
    return ActorOut(
        kind=actor.kind,
        channel=actor.channel or None,
        key_id=actor.key_id or None,
        store_id=actor.store_id or None,
    )


def identity_from_proto(identity: member_pb2.Identity, *, provenance: bool) -> IdentityOut:
    """With who asserted it (for operators) when `provenance` and it was recorded."""
    out = IdentityOut(type=identity.type, value=identity.value)
    if provenance and identity.HasField("asserted_by"):
        out.asserted_by = actor_from_proto(identity.asserted_by)
        out.asserted_at = aware(identity.asserted_at)
    return out


def member_from_proto(
    member: member_pb2.Member,
    *,
    created: bool | None = None,
    provenance: bool = False,
    tier_names: TierNames = None,
) -> MemberOut:
    return MemberOut(
        member_id=member.member_id,
        status=member.status,
        merged_into=member.merged_into or None,
        identities=[identity_from_proto(i, provenance=provenance) for i in member.identities],
        profile=profile_from_proto(member.profile),
        consents={consent.purpose: consent.granted for consent in member.consents},
        tier=tier_from_proto(member, tier_names),
        enrolled_at=(aware(member.enrolled_at) if member.HasField("enrolled_at") else None),
        enrolled_channel=member.enrolled_channel,
        created=created,
    )


def enroll_request(
    body: EnrollMemberBody, *, tenant_id: str, channel: str, store_id: str | None
) -> member_pb2.EnrollMemberRequest:
    """The tenant comes from the caller's key, never from the body."""
    request = member_pb2.EnrollMemberRequest(
        tenant_id=tenant_id,
        channel=channel,
        store_id=store_id or "",
        identities=[member_pb2.Identity(type=i.type, value=i.value) for i in body.identities],
        consents={str(purpose): granted for purpose, granted in body.consents.items()},
    )
    if body.profile is not None:
        profile = body.profile
        request.profile.CopyFrom(
            member_pb2.Profile(
                name=profile.name or "",
                birthday=profile.birthday.isoformat() if profile.birthday else "",
                email=profile.email or "",
                gender=profile.gender or "",
                preferred_store_id=profile.preferred_store_id or "",
            )
        )
        attributes_to_proto(request.profile, profile.attributes)
    return request
