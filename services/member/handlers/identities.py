"""Link and unlink a member's channel identities."""

from __future__ import annotations

from dataclasses import dataclass

from libs.clock import Clock, utc_now
from services.member.domain.actors import Actor, Provenance
from services.member.domain.errors import IdentityTaken
from services.member.domain.identities import Identity, parse_identity
from services.member.domain.ports import Repositories, UnitOfWork
from services.member.handlers.common import MemberView, audit, load_active, view_of


@dataclass(frozen=True)
class IdentityChange:
    tenant_id: str
    member_id: str
    type: str
    value: str
    actor: Actor


@dataclass(frozen=True)
class Linked(MemberView):
    linked: bool = True


async def _identity(repos: Repositories, change: IdentityChange) -> Identity:
    settings = await repos.tenants.get_settings(change.tenant_id)
    region = settings.default_region if settings else None
    return parse_identity(change.type, change.value, default_region=region)


async def link_identity(change: IdentityChange, uow: UnitOfWork, clock: Clock = utc_now) -> Linked:
    """Add an identity; IdentityTaken when another member holds it. Linking one the member
    already holds changes nothing (`linked` is False)."""

    async def work(repos: Repositories) -> Linked:
        identity = await _identity(repos, change)
        member = await load_active(repos, change.tenant_id, change.member_id)
        holder = (await repos.members.holders(change.tenant_id, [identity])).get(identity)
        if holder == member.member_id:
            view = await view_of(repos, member)
            return Linked(view.member, view.tier_multiplier, linked=False)
        if holder is not None:
            raise IdentityTaken(identity)
        now = clock()
        member.link([identity], Provenance(change.actor, now))
        await repos.members.save(member)
        fields = [f"identities.{identity.type.value}"]
        await audit(repos, member, "identity.linked", fields, actor=change.actor, now=now)
        view = await view_of(repos, member)
        return Linked(view.member, view.tier_multiplier, linked=True)

    return await uow.transaction(work)


async def unlink_identity(
    change: IdentityChange, uow: UnitOfWork, clock: Clock = utc_now
) -> MemberView:
    """Drop an identity the member holds; the last one stays (FailedPrecondition)."""

    async def work(repos: Repositories) -> MemberView:
        identity = await _identity(repos, change)
        member = await load_active(repos, change.tenant_id, change.member_id)
        member.unlink(identity)
        await repos.members.save(member)
        fields = [f"identities.{identity.type.value}"]
        await audit(repos, member, "identity.unlinked", fields, actor=change.actor, now=clock())
        return await view_of(repos, member)

    return await uow.transaction(work)
