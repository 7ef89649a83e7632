"""Birthday campaigns ask who was born on a day: member ids only, a page at a time."""

from __future__ import annotations

from services.member.domain.birthdays import BirthdayQuery, validate_birthday_query
from services.member.domain.ports import Repositories, UnitOfWork


async def list_birthday_members(
    tenant_id: str, query: BirthdayQuery, uow: UnitOfWork
) -> tuple[list[str], str]:
    """The ids of active members born on the query's month and day (consenting to its
    purpose when one is named), and the cursor of the next page ("" on the last page)."""
    valid = validate_birthday_query(query)

    async def work(repos: Repositories) -> tuple[list[str], str]:
        return await repos.members.born_on(tenant_id, valid)

    return await uow.read(work)
