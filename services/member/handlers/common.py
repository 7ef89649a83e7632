"""What several use cases share: reading a member, its view, and writing the audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from libs.ids import new_id
from services.member.domain.actors import Actor
from services.member.domain.errors import MemberNotFound
from services.member.domain.history import AuditEntry
from services.member.domain.members import Member
from services.member.domain.ports import Repositories


@dataclass(frozen=True)
class MemberView:
    """A member with the earning multiplier of their tier under the current program."""

    member: Member
    tier_multiplier: Decimal | None = None


async def tier_multiplier(repos: Repositories, member: Member) -> Decimal | None:
    if member.tier is None:
        return None
    program = await repos.tenants.get_program(member.tenant_id)
    return program.multiplier_of(member.tier.code) if program else None


async def view_of(repos: Repositories, member: Member) -> MemberView:
    return MemberView(member, await tier_multiplier(repos, member))


async def views_of(repos: Repositories, tenant_id: str, members: list[Member]) -> list[MemberView]:
    """Views of many members of one tenant, reading the tier program once."""
    program = await repos.tenants.get_program(tenant_id)

    def multiplier(member: Member) -> Decimal | None:
        if program is None or member.tier is None:
            return None
        return program.multiplier_of(member.tier.code)

    return [MemberView(member, multiplier(member)) for member in members]


async def load_member(repos: Repositories, tenant_id: str, member_id: str) -> Member:
    member = await repos.members.get(tenant_id, member_id) if member_id else None
    if member is None:
        raise MemberNotFound(member_id)
    return member


async def load_active(repos: Repositories, tenant_id: str, member_id: str) -> Member:
    member = await load_member(repos, tenant_id, member_id)
    member.ensure_active()
    return member


async def audit(
    repos: Repositories,
    member: Member,
    action: str,
    fields: Iterable[str],
    *,
    actor: Actor,
    now: datetime,
) -> None:
    """Record who changed which fields of `member`, in the caller's unit of work."""
    entry = AuditEntry(
        entry_id=new_id("au"),
        tenant_id=member.tenant_id,
        member_id=member.member_id,
        action=action,
        fields=tuple(fields),
        actor=actor,
        at=now,
    )
    await repos.history.add_audit(entry)
