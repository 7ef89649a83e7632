"""Who a purchase, redemption or points operation is for: the active member named by id,
identity or member code, following merges to the member who holds the wallet now."""

from __future__ import annotations

from dataclasses import dataclass

from libs.clock import Clock, utc_now
from libs.errors import FailedPrecondition
from services.member.domain.members import Member
from services.member.domain.ports import MemberCodes, Repositories, UnitOfWork
from services.member.handlers.common import MemberView, load_member, view_of
from services.member.handlers.reads import lookup_member

# A survivor merged again is followed too; a longer chain means the data is broken.
MAX_MERGE_HOPS = 3


@dataclass(frozen=True)
class MemberReference:
    """By `member_id`, or by an identity (`identity_type` "code" for a member code)."""

    member_id: str = ""
    identity_type: str = ""
    identity_value: str = ""


async def resolve_member(
    tenant_id: str,
    reference: MemberReference,
    uow: UnitOfWork,
    *,
    codes: MemberCodes,
    clock: Clock = utc_now,
) -> MemberView:
    named: Member | None = None
    if reference.identity_type:
        view = await lookup_member(
            tenant_id,
            reference.identity_type,
            reference.identity_value,
            uow,
            codes=codes,
            clock=clock,
        )
        if view.member.is_active:
            return view
        named = view.member

    async def work(repos: Repositories) -> MemberView:
        member = named or await load_member(repos, tenant_id, reference.member_id)
        for _ in range(MAX_MERGE_HOPS + 1):
            survivor = member.survivor()
            if survivor is None:
                return await view_of(repos, member)
            member = await load_member(repos, tenant_id, survivor)
        raise FailedPrecondition(
            f"member {member.member_id} was merged too often", code="member_not_active"
        )

    return await uow.read(work)
