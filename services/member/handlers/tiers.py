"""Tier changes made by operators and by time: each kept in the history and announced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from libs.clock import Clock, utc_now
from libs.errors import FailedPrecondition
from libs.ids import new_id
from libs.logging import get_logger
from services.member.domain.actors import SYSTEM, Actor
from services.member.domain.history import AuditEntry, TierChange
from services.member.domain.members import Member, MemberTierChanged
from services.member.domain.ports import Repositories, UnitOfWork
from services.member.domain.tier_book import TierHolder
from services.member.domain.tier_rules import TierOutcome, expire_manual_tier, set_manual_tier
from services.member.domain.tiers import TierProgram
from services.member.handlers.common import MemberView, load_active, view_of

log = get_logger(__name__)


async def apply_tier_outcome(
    repos: Repositories,
    member: Member,
    outcome: TierOutcome,
    *,
    actor: Actor,
    now: datetime,
    note: str = "",
) -> None:
    """Store a rule's outcome: history and audit for every change, an event when the tier
    itself moved."""
    if not outcome.changed:
        return
    member.tier = outcome.state
    member.version += 1
    await repos.members.save(member)
    await _record(
        repos, member.tenant_id, member.member_id, outcome, actor=actor, now=now, note=note
    )


async def apply_holder_outcome(
    repos: Repositories,
    holder: TierHolder,
    outcome: TierOutcome,
    *,
    now: datetime,
    every_change_in_history: bool = False,
) -> None:
    """Store the outcome of counting the member's orders (no personal data read or
    written): history, audit and an event when the tier itself moved; a state that moved
    without changing the tier (a period renewed at a purchase) is only stored, unless
    `every_change_in_history` (the periodic review, whose renewals are its record)."""
    if not outcome.changed:
        return
    await repos.members.save_tier(holder, outcome.state)
    if outcome.tier_changed or every_change_in_history:
        await _record(repos, holder.tenant_id, holder.member_id, outcome, actor=SYSTEM, now=now)


async def _record(
    repos: Repositories,
    tenant_id: str,
    member_id: str,
    outcome: TierOutcome,
    *,
    actor: Actor,
    now: datetime,
    note: str = "",
) -> None:
    change = TierChange(
        tenant_id,
        member_id,
        outcome.before.code,
        outcome.state.code,
        outcome.reason,
        actor,
        now,
        note,
    )
    await repos.history.add_tier(change)
    entry = AuditEntry(
        new_id("au"), tenant_id, member_id, f"tier.{outcome.reason}", ("tier",), actor, now
    )
    await repos.history.add_audit(entry)
    if outcome.tier_changed:
        event = MemberTierChanged(
            new_id("ev"),
            tenant_id,
            member_id,
            outcome.before.code,
            outcome.state.code,
            outcome.reason,
            now,
        )
        repos.record(event)


async def _program(repos: Repositories, tenant_id: str) -> TierProgram:
    program = await repos.tenants.get_program(tenant_id)
    if program is None:
        raise FailedPrecondition(
            "no tier program is set for this tenant", code="tier_program_not_found"
        )
    return program


@dataclass(frozen=True)
class SetManualTier:
    tenant_id: str
    member_id: str
    tier_code: str
    reason: str
    until: datetime
    actor: Actor


async def set_member_tier(
    cmd: SetManualTier, uow: UnitOfWork, clock: Clock = utc_now
) -> MemberView:
    async def work(repos: Repositories) -> MemberView:
        now = clock()
        program = await _program(repos, cmd.tenant_id)
        member = await load_active(repos, cmd.tenant_id, cmd.member_id)
        outcome = set_manual_tier(
            program, member.tier, code=cmd.tier_code, reason=cmd.reason, until=cmd.until, now=now
        )
        await apply_tier_outcome(
            repos, member, outcome, actor=cmd.actor, now=now, note=cmd.reason.strip()
        )
        return await view_of(repos, member)

    return await uow.transaction(work)


async def expire_manual_tiers(uow: UnitOfWork, clock: Clock = utc_now, batch: int = 100) -> int:
    """Revert manual tiers past their end date; safe to run on several replicas at once
    (each member is re-read in its own transaction, so a second run finds nothing to do)."""
    due = await uow.read(lambda repos: repos.members.with_expired_manual_tier(clock(), batch))
    reverted = 0
    for tenant_id, member_id in due:

        async def work(
            repos: Repositories, tenant_id: str = tenant_id, member_id: str = member_id
        ) -> bool:
            member = await repos.members.get(tenant_id, member_id)
            program = await repos.tenants.get_program(tenant_id)
            if member is None or member.tier is None or program is None:
                return False
            now = clock()
            outcome = expire_manual_tier(program, member.tier, now)
            await apply_tier_outcome(repos, member, outcome, actor=SYSTEM, now=now)
            return outcome.changed

        reverted += await uow.transaction(work)
    if reverted:
        log.info("manual_tiers_expired", count=reverted)
    return reverted
