"""Profile and consent changes, each audited and consents kept with their history."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from libs.clock import Clock, utc_now
from libs.errors import InvalidArgument
from libs.ids import new_id
from services.member.domain.actors import Actor
from services.member.domain.history import ConsentChange
from services.member.domain.members import consents_changed_event, parse_channel
from services.member.domain.ports import Repositories, UnitOfWork
from services.member.domain.profile import ProfilePatch, parse_consents, patch_profile
from services.member.handlers.common import MemberView, audit, load_active, view_of

_SOURCE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class UpdateProfile:
    tenant_id: str
    member_id: str
    patch: ProfilePatch
    actor: Actor


async def update_profile(cmd: UpdateProfile, uow: UnitOfWork, clock: Clock = utc_now) -> MemberView:
    async def work(repos: Repositories) -> MemberView:
        now = clock()
        member = await load_active(repos, cmd.tenant_id, cmd.member_id)
        settings = await repos.tenants.get_settings(cmd.tenant_id)
        schema = settings.attributes if settings else {}
        member.profile, changed = patch_profile(
            member.profile, cmd.patch, schema=schema, today=now.date()
        )
        if changed:
            member.version += 1
            await repos.members.save(member)
            await audit(repos, member, "profile.updated", changed, actor=cmd.actor, now=now)
        return await view_of(repos, member)

    return await uow.transaction(work)


@dataclass(frozen=True)
class UpdateConsents:
    tenant_id: str
    member_id: str
    consents: Mapping[str, bool]
    channel: str
    source: str
    actor: Actor


def _source(raw: str) -> str:
    source = raw or "api"
    if not _SOURCE.match(source):
        raise InvalidArgument("source: lower-case letters, digits, _ . -; at most 64")
    return source


async def update_consents(
    cmd: UpdateConsents, uow: UnitOfWork, clock: Clock = utc_now
) -> MemberView:
    """Each stated purpose is recorded in the history, with its channel, time and source."""
    if not cmd.consents:
        raise InvalidArgument("consents: name at least one purpose")
    channel = parse_channel(cmd.channel or cmd.actor.channel).value
    source = _source(cmd.source)

    async def work(repos: Repositories) -> MemberView:
        now = clock()
        member = await load_active(repos, cmd.tenant_id, cmd.member_id)
        stated = parse_consents(cmd.consents, channel=channel, source=source, at=now)
        member.consents = {**member.consents, **stated}
        member.version += 1
        await repos.members.save(member)
        for consent in stated.values():
            change = ConsentChange(
                cmd.tenant_id,
                cmd.member_id,
                consent.purpose.value,
                consent.granted,
                channel,
                source,
                cmd.actor,
                now,
            )
            await repos.history.add_consent(change)
        fields = [f"consents.{purpose.value}" for purpose in stated]
        await audit(repos, member, "consents.updated", fields, actor=cmd.actor, now=now)
        repos.record(consents_changed_event(member, new_id("ev"), now))
        return await view_of(repos, member)

    return await uow.transaction(work)
