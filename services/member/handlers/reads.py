"""Read a member by id, by any identity, or by the code the member's app shows."""

from __future__ import annotations

from datetime import timedelta

from libs.clock import Clock, utc_now
from services.member.domain.errors import MemberCodeInvalid, MemberNotFound
from services.member.domain.identities import parse_identity
from services.member.domain.ports import MemberCode, MemberCodes, Repositories, UnitOfWork
from services.member.handlers.common import (
    MemberView,
    load_active,
    load_member,
    view_of,
)

CODE_TYPE = "code"
CODE_TTL = timedelta(seconds=60)


async def get_member(tenant_id: str, member_id: str, uow: UnitOfWork) -> MemberView:
    async def work(repos: Repositories) -> MemberView:
        return await view_of(repos, await load_member(repos, tenant_id, member_id))

    return await uow.read(work)


async def lookup_member(
    tenant_id: str,
    type_: str,
    value: str,
    uow: UnitOfWork,
    *,
    codes: MemberCodes,
    clock: Clock = utc_now,
) -> MemberView:
    """The member holding an identity, or named by a live member code of this tenant."""
    if type_ == CODE_TYPE:
        return await _by_code(tenant_id, value, uow, codes, clock)

    async def work(repos: Repositories) -> MemberView:
        settings = await repos.tenants.get_settings(tenant_id)
        identity = parse_identity(
            type_, value, default_region=settings.default_region if settings else None
        )
        holders = await repos.members.holders(tenant_id, [identity])
        if identity not in holders:
            raise MemberNotFound()
        return await view_of(repos, await load_member(repos, tenant_id, holders[identity]))

    return await uow.read(work)


async def _by_code(
    tenant_id: str, value: str, uow: UnitOfWork, codes: MemberCodes, clock: Clock
) -> MemberView:
    code = codes.read(tenant_id, value.strip())
    if code is None or code.expires_at <= clock():
        raise MemberCodeInvalid()

    async def work(repos: Repositories) -> MemberView:
        member = await repos.members.get(tenant_id, code.member_id)
        if member is None or not member.is_active:
            raise MemberCodeInvalid()
        return await view_of(repos, member)

    return await uow.read(work)


async def issue_member_code(
    tenant_id: str, member_id: str, uow: UnitOfWork, codes: MemberCodes, clock: Clock = utc_now
) -> tuple[str, MemberCode]:
    """A code for an active member, valid for CODE_TTL."""

    async def work(repos: Repositories) -> MemberCode:
        member = await load_active(repos, tenant_id, member_id)
        expires_at = (clock() + CODE_TTL).replace(microsecond=0)
        return MemberCode(tenant_id, member.member_id, expires_at)

    code = await uow.read(work)
    return codes.issue(code), code
