"""Back-office search: by member id, by exact identity, or by filters with a cursor."""

from __future__ import annotations

from services.member.domain.identities import parse_identity
from services.member.domain.members import Member
from services.member.domain.ports import Repositories, UnitOfWork
from services.member.domain.search import MemberPage, MemberQuery, validate_query
from services.member.handlers.common import MemberView, views_of


async def search_members(
    tenant_id: str,
    query: MemberQuery,
    uow: UnitOfWork,
    *,
    member_id: str = "",
    identity: tuple[str, str] | None = None,
) -> tuple[list[MemberView], str]:
    """Members newest first and the cursor of the next page ("" on the last page).

    With a member id or an identity, the answer is that member or nobody.
    """
    valid = validate_query(query)

    async def work(repos: Repositories) -> tuple[list[MemberView], str]:
        if member_id or identity:
            page = MemberPage(await _exact(repos, tenant_id, member_id, identity))
        else:
            page = await repos.members.search(tenant_id, valid)
        return await views_of(repos, tenant_id, page.members), page.next_cursor

    return await uow.read(work)


async def _exact(
    repos: Repositories, tenant_id: str, member_id: str, identity: tuple[str, str] | None
) -> list[Member]:
    if identity is not None:
        settings = await repos.tenants.get_settings(tenant_id)
        region = settings.default_region if settings else None
        wanted = parse_identity(*identity, default_region=region)
        held = await repos.members.holders(tenant_id, [wanted])
        if wanted not in held or (member_id and held[wanted] != member_id):
            return []
        member_id = held[wanted]
    member = await repos.members.get(tenant_id, member_id)
    return [member] if member is not None else []
