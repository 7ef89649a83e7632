"""Erasure, export and the audit trail: what a member (or a regulator) may ask for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from libs.clock import Clock, utc_now
from libs.errors import InvalidArgument
from libs.ids import new_id
from services.member.domain.actors import Actor
from services.member.domain.history import AuditPage, ConsentChange, MemberHistory
from services.member.domain.members import MemberErased, MemberStatus
from services.member.domain.ports import Repositories, UnitOfWork
from services.member.handlers.common import MemberView, audit, load_member, view_of

MAX_AUDIT_PAGE = 200
DEFAULT_CONSENT_CHANGES = 100
MAX_CONSENT_CHANGES = 500


async def erase_member(
    tenant_id: str, member_id: str, actor: Actor, uow: UnitOfWork, clock: Clock = utc_now
) -> MemberView:
    """Destroy the member's data key and free their identities, in one transaction.

    Idempotent: erasing an erased member changes nothing and publishes nothing.
    """

    async def work(repos: Repositories) -> MemberView:
        member = await load_member(repos, tenant_id, member_id)
        if member.status is MemberStatus.ERASED:
            return await view_of(repos, member)
        now = clock()
        member.erase()
        await repos.members.save(member)
        await repos.history.forget_notes(tenant_id, member_id)
        fields = ["identities", "profile", "consents"]
        await audit(repos, member, "member.erased", fields, actor=actor, now=now)
        repos.record(MemberErased(new_id("ev"), tenant_id, member_id, now))
        return await view_of(repos, member)

    return await uow.transaction(work)


@dataclass(frozen=True)
class MemberExport:
    view: MemberView
    history: MemberHistory
    exported_at: datetime


async def export_member(
    tenant_id: str, member_id: str, actor: Actor, uow: UnitOfWork, clock: Clock = utc_now
) -> MemberExport:
    """Everything held about the member; the export itself is audited."""

    async def work(repos: Repositories) -> MemberExport:
        member = await load_member(repos, tenant_id, member_id)
        now = clock()
        await audit(repos, member, "member.exported", [], actor=actor, now=now)
        history = await repos.history.of_member(tenant_id, member_id)
        return MemberExport(await view_of(repos, member), history, now)

    return await uow.transaction(work)


async def list_audit(
    tenant_id: str, member_id: str, cursor: str, limit: int, uow: UnitOfWork
) -> AuditPage:
    if not 1 <= limit <= MAX_AUDIT_PAGE:
        raise InvalidArgument(f"limit: between 1 and {MAX_AUDIT_PAGE}")

    async def work(repos: Repositories) -> AuditPage:
        await load_member(repos, tenant_id, member_id)
        return await repos.history.audit_page(tenant_id, member_id, cursor, limit)

    return await uow.read(work)


async def consent_history(
    tenant_id: str, member_id: str, limit: int, uow: UnitOfWork
) -> list[ConsentChange]:
    """Every change of the member's consents, newest first (`limit`: 100 when 0)."""
    if not 0 <= limit <= MAX_CONSENT_CHANGES:
        raise InvalidArgument(f"limit: between 1 and {MAX_CONSENT_CHANGES}")

    async def work(repos: Repositories) -> list[ConsentChange]:
        await load_member(repos, tenant_id, member_id)
        return await repos.history.consent_changes(
            tenant_id, member_id, limit or DEFAULT_CONSENT_CHANGES
        )

    return await uow.read(work)
