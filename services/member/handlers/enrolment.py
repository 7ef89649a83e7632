"""Enrol a member, or find the one who already holds an identity."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from libs.clock import Clock, utc_now
from libs.errors import Conflict
from libs.ids import new_id
from services.member.domain.actors import Actor, Provenance
from services.member.domain.attributes import AttributeValue
from services.member.domain.errors import IdentityTaken
from services.member.domain.history import ConsentChange, TierChange
from services.member.domain.identities import parse_identities
from services.member.domain.members import Member, enrol, enrolled_event, parse_channel
from services.member.domain.ports import Repositories, UnitOfWork
from services.member.domain.profile import PROFILE_FIELDS, parse_consents, parse_profile
from services.member.handlers.common import (
    MemberView,
    audit,
    load_member,
    tier_multiplier,
)


@dataclass(frozen=True)
class EnrolMember:
    tenant_id: str
    channel: str
    store_id: str
    identities: list[tuple[str, str]]
    name: str = ""
    birthday: str = ""
    email: str = ""
    gender: str = ""
    preferred_store_id: str = ""
    attributes: dict[str, AttributeValue] = field(default_factory=dict)
    consents: dict[str, bool] = field(default_factory=dict)
    actor: Actor | None = None


@dataclass(frozen=True)
class Enrolment(MemberView):
    created: bool = False


ENROL_ATTEMPTS = 3


async def enrol_member(cmd: EnrolMember, uow: UnitOfWork, clock: Clock = utc_now) -> Enrolment:
    """Find-or-create. Two channels enrolling one person at once both get the same member:
    the loser of the race on an identity retries and finds the winner."""
    for _ in range(ENROL_ATTEMPTS):
        try:
            return await uow.transaction(lambda repos: _find_or_create(cmd, repos, clock()))
        except IdentityTaken:
            continue
    raise Conflict("enrolment raced with other enrolments; try again", code="enrolment_conflict")


async def _find_or_create(cmd: EnrolMember, repos: Repositories, now: datetime) -> Enrolment:
    settings = await repos.tenants.get_settings(cmd.tenant_id)
    region = settings.default_region if settings else None
    identities = parse_identities(cmd.identities, default_region=region)
    channel = parse_channel(cmd.channel)
    profile = parse_profile(
        name=cmd.name,
        birthday=cmd.birthday,
        email=cmd.email,
        gender=cmd.gender,
        preferred_store_id=cmd.preferred_store_id,
        attributes=cmd.attributes,
        today=now.date(),
        schema=settings.attributes if settings else {},
    )
    consents = parse_consents(cmd.consents, channel=channel.value, source="enrolment", at=now)
    actor = (cmd.actor or Actor.of_channel(channel.value)).at_store(cmd.store_id)
    holders = await repos.members.holders(cmd.tenant_id, identities)
    holder_id = next((holders[i] for i in identities if i in holders), None)
    if holder_id is None:
        program = await repos.tenants.get_program(cmd.tenant_id)
        member = enrol(
            member_id=new_id("m"),
            tenant_id=cmd.tenant_id,
            identities=identities,
            profile=profile,
            consents=consents,
            channel=channel,
            store_id=cmd.store_id,
            program=program,
            now=now,
            asserted_by=actor,
        )
        await repos.members.add(member)
        await _record_enrolment(repos, member, actor, now)
        multiplier = program.multiplier_of(program.entry_tier.code) if program else None
        return Enrolment(member, multiplier, created=True)
    existing = await load_member(repos, cmd.tenant_id, holder_id)
    linked = [i for i in identities if i not in holders]
    existing.link(linked, Provenance(actor, now))
    if existing.new_identities:
        await repos.members.save(existing)
        fields = sorted({f"identities.{i.type.value}" for i in linked})
        await audit(repos, existing, "identity.linked", fields, actor=actor, now=now)
    return Enrolment(existing, await tier_multiplier(repos, existing), created=False)


async def _record_enrolment(
    repos: Repositories, member: Member, actor: Actor, now: datetime
) -> None:
    repos.record(enrolled_event(member, new_id("ev")))
    profile = member.profile
    fields = sorted({f"identities.{i.type.value}" for i in member.identities})
    fields += [f"profile.{name}" for name in PROFILE_FIELDS if getattr(profile, name)]
    fields += [f"profile.attributes.{name}" for name in sorted(profile.attributes)]
    fields += [f"consents.{purpose.value}" for purpose in member.consents]
    await audit(repos, member, "member.enrolled", fields, actor=actor, now=now)
    for consent in member.consents.values():
        change = ConsentChange(
            member.tenant_id,
            member.member_id,
            consent.purpose.value,
            consent.granted,
            consent.channel,
            consent.source,
            actor,
            now,
        )
        await repos.history.add_consent(change)
    if member.tier is not None:
        tier = TierChange(
            member.tenant_id, member.member_id, "", member.tier.code, "enrolment", actor, now
        )
        await repos.history.add_tier(tier)
