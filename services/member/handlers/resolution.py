"""Who a purchase, redemption or points operation is for: the active member named by id,
identity or member code, following merges to the member who holds the wallet now."""

from __future__ import annotations

from dataclasses import dataclass

from libs.clock import Clock, utc_now
from libs.errors import FailedPrecondition
from libs.reasons import translated_names
from services.member.domain.errors import MemberNotFound
from services.member.domain.ports import MemberCodes, Repositories, UnitOfWork
from services.member.domain.wallet_holder import ResolvedMember, WalletHolder
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
) -> ResolvedMember:
    """By id, the member's personal data is never read (`WalletHolder`); an identity or a
    member code is looked up as for `LookupMember`."""
    named: WalletHolder | None = None
    if reference.identity_type:
        view = await lookup_member(
            tenant_id,
            reference.identity_type,
            reference.identity_value,
            uow,
            codes=codes,
            clock=clock,
        )
        named = WalletHolder.of(view.member)

    async def work(repos: Repositories) -> ResolvedMember:
        holder = named or await _holder(repos, tenant_id, reference.member_id)
        for _ in range(MAX_MERGE_HOPS + 1):
            survivor = holder.survivor()
            if survivor is None:
                return await _with_tier(repos, holder)
            holder = await _holder(repos, tenant_id, survivor)
        raise FailedPrecondition(
            f"member {holder.member_id} was merged too often", code="member_not_active"
        )

    return await uow.read(work)


async def _holder(repos: Repositories, tenant_id: str, member_id: str) -> WalletHolder:
    holder = await repos.members.wallet_holder(tenant_id, member_id) if member_id else None
    if holder is None:
        raise MemberNotFound(member_id)
    return holder


async def _with_tier(repos: Repositories, holder: WalletHolder) -> ResolvedMember:
    """The holder with its tier's multiplier and names under the current program."""
    if holder.tier is None:
        return ResolvedMember(holder)
    program = await repos.tenants.get_program(holder.tenant_id)
    tier = program.tier(holder.tier.code) if program else None
    if tier is None:
        return ResolvedMember(holder)
    names = tuple(sorted(translated_names(tier.translations).items()))
    return ResolvedMember(holder, tier.multiplier, names)
