"""Where a member stands in the tier program, for the app."""

from __future__ import annotations

from dataclasses import replace

from libs.clock import Clock, utc_now
from libs.errors import FailedPrecondition
from services.member.domain.ports import Repositories, UnitOfWork
from services.member.domain.qualifying import (
    Cart,
    TierProgress,
    entry_state,
    still_needed_after,
    tier_progress,
)
from services.member.handlers.common import load_active
from services.member.handlers.tier_books import purchases_of


async def get_tier_progress(
    tenant_id: str,
    member_id: str,
    uow: UnitOfWork,
    clock: Clock = utc_now,
    *,
    cart: Cart | None = None,
) -> TierProgress:
    """With `cart`, also what the next tier would still take once it is paid."""

    async def work(repos: Repositories) -> TierProgress:
        member = await load_active(repos, tenant_id, member_id)
        program = await repos.tenants.get_program(tenant_id)
        if program is None:
            raise FailedPrecondition(
                "no tier program is set for this tenant", code="tier_program_not_found"
            )
        now = clock()
        purchases = await purchases_of(repos, tenant_id, member.member_id)
        current = member.tier or entry_state(program, now)
        progress = tier_progress(program, member.member_id, current, purchases, now)
        if cart is None:
            return progress
        return replace(progress, still_needed_after_cart=still_needed_after(progress, cart))

    return await uow.read(work)
