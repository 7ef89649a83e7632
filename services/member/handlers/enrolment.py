"""Enrol a member, or find the one who already holds an identity; read members."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from libs.errors import Conflict
from libs.ids import new_id
from services.member.domain.errors import IdentityTaken, MemberNotFound
from services.member.domain.identities import parse_identities, parse_identity
from services.member.domain.members import Member, enrol, enrolled_event, parse_channel
from services.member.domain.ports import Repositories, UnitOfWork
from services.member.domain.profile import parse_consents, parse_profile

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


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
    attributes: dict[str, str] = field(default_factory=dict)
    consents: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class MemberView:
    """A member with the earning multiplier of their tier under the current program."""

    member: Member
    tier_multiplier: Decimal | None = None


@dataclass(frozen=True)
class Enrolment(MemberView):
    created: bool = False


async def _tier_multiplier(repos: Repositories, member: Member) -> Decimal | None:
    if member.tier is None:
        return None
    program = await repos.tenants.get_program(member.tenant_id)
    return program.multiplier_of(member.tier.code) if program else None


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
    )
    consents = parse_consents(cmd.consents, channel=channel.value, source="enrolment", at=now)
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
        )
        await repos.members.add(member)
        repos.record(enrolled_event(member, new_id("ev")))
        multiplier = program.multiplier_of(program.entry_tier.code) if program else None
        return Enrolment(member, multiplier, created=True)
    existing = await repos.members.get(cmd.tenant_id, holder_id)
    if existing is None:
        raise MemberNotFound(holder_id)
    existing.link([i for i in identities if i not in holders])
    if existing.new_identities:
        await repos.members.save(existing)
    return Enrolment(existing, await _tier_multiplier(repos, existing), created=False)


async def get_member(tenant_id: str, member_id: str, uow: UnitOfWork) -> MemberView:
    async def work(repos: Repositories) -> MemberView:
        member = await repos.members.get(tenant_id, member_id)
        if member is None:
            raise MemberNotFound(member_id)
        return MemberView(member, await _tier_multiplier(repos, member))

    return await uow.read(work)


async def lookup_member(tenant_id: str, type_: str, value: str, uow: UnitOfWork) -> MemberView:
    async def work(repos: Repositories) -> MemberView:
        settings = await repos.tenants.get_settings(tenant_id)
        identity = parse_identity(
            type_, value, default_region=settings.default_region if settings else None
        )
        holders = await repos.members.holders(tenant_id, [identity])
        member = await repos.members.get(tenant_id, holders[identity]) if holders else None
        if member is None:
            raise MemberNotFound()
        return MemberView(member, await _tier_multiplier(repos, member))

    return await uow.read(work)
