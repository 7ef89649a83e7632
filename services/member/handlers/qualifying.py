"""Tiers that follow purchases: each points event counts once and re-evaluates the tier.

An upgrade happens as soon as the purchase's event is handled; a return re-evaluates with
`reversal`, so a tier the purchase alone reached is taken back. Events naming a member
since merged count for the member it was merged into.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from libs.clock import Clock, utc_now
from services.member.domain.actors import SYSTEM
from services.member.domain.members import Member, MemberStatus
from services.member.domain.ports import Repositories, UnitOfWork
from services.member.domain.qualifying import (
    QualifyingPurchase,
    entry_state,
    qualifying_amount,
    window_start,
)
from services.member.domain.tier_rules import evaluate_tier
from services.member.handlers.tiers import apply_tier_outcome

CONSUMER = "member-tiers"
# A survivor merged again is followed too; a longer chain means the data is broken.
MAX_MERGE_HOPS = 3


@dataclass(frozen=True)
class CountPurchase:
    """From `points.earned`."""

    event_id: str
    tenant_id: str
    member_id: str
    order_id: str
    occurred_at: datetime
    points: int
    spend: Decimal


@dataclass(frozen=True)
class CountReturn:
    """From `points.reversed`."""

    event_id: str
    tenant_id: str
    member_id: str
    order_id: str
    points: int
    at: datetime


@dataclass(frozen=True)
class CountBonus:
    """From `points.granted` for an order: a campaign bonus settled after the purchase
    counts as what the purchase earned."""

    event_id: str
    tenant_id: str
    member_id: str
    order_id: str
    points: int
    at: datetime


@dataclass(frozen=True)
class RecountMember:
    """From `points.merged`: the survivor's tier on the combined purchases."""

    event_id: str
    tenant_id: str
    member_id: str


Work = Callable[[Repositories], Awaitable[bool]]


def purchase_work(cmd: CountPurchase, clock: Clock = utc_now) -> Work:
    """Count a purchase, in the transaction it is given; False when counted before."""

    async def work(repos: Repositories) -> bool:
        if not await repos.claim(CONSUMER, cmd.event_id):
            return False
        purchase = QualifyingPurchase(
            cmd.tenant_id, cmd.order_id, cmd.member_id, cmd.occurred_at, cmd.points, cmd.spend
        )
        await repos.qualifying.add_purchase(purchase)
        await reevaluate(repos, cmd.tenant_id, cmd.member_id, clock(), reversal=False)
        return True

    return work


def return_work(cmd: CountReturn, clock: Clock = utc_now) -> Work:
    async def work(repos: Repositories) -> bool:
        if not await repos.claim(CONSUMER, cmd.event_id):
            return False
        await repos.qualifying.add_return(
            cmd.tenant_id, cmd.order_id, cmd.member_id, cmd.points, cmd.at
        )
        await reevaluate(repos, cmd.tenant_id, cmd.member_id, clock(), reversal=True)
        return True

    return work


def bonus_work(cmd: CountBonus, clock: Clock = utc_now) -> Work:
    async def work(repos: Repositories) -> bool:
        if not await repos.claim(CONSUMER, cmd.event_id):
            return False
        await repos.qualifying.add_bonus(
            cmd.tenant_id, cmd.order_id, cmd.member_id, cmd.points, cmd.at
        )
        await reevaluate(repos, cmd.tenant_id, cmd.member_id, clock(), reversal=False)
        return True

    return work


def recount_work(cmd: RecountMember, clock: Clock = utc_now) -> Work:
    async def work(repos: Repositories) -> bool:
        if not await repos.claim(CONSUMER, cmd.event_id):
            return False
        await reevaluate(repos, cmd.tenant_id, cmd.member_id, clock(), reversal=False)
        return True

    return work


async def count_purchase(cmd: CountPurchase, uow: UnitOfWork, clock: Clock = utc_now) -> bool:
    """False when the event was handled before."""
    return await uow.transaction(purchase_work(cmd, clock))


async def count_return(cmd: CountReturn, uow: UnitOfWork, clock: Clock = utc_now) -> bool:
    return await uow.transaction(return_work(cmd, clock))


async def count_bonus(cmd: CountBonus, uow: UnitOfWork, clock: Clock = utc_now) -> bool:
    return await uow.transaction(bonus_work(cmd, clock))


async def recount_member(cmd: RecountMember, uow: UnitOfWork, clock: Clock = utc_now) -> bool:
    return await uow.transaction(recount_work(cmd, clock))


async def count_together(works: Sequence[Work], uow: UnitOfWork) -> int:
    """Several events in one transaction, in their order, each claimed in it (a batch of
    the consumer's); how many were new."""

    async def work(repos: Repositories) -> int:
        counted = 0
        for each in works:
            counted += await each(repos)
        return counted

    return await uow.transaction(work)


async def active_holder(repos: Repositories, tenant_id: str, member_id: str) -> Member | None:
    """The active member behind `member_id`, following merges; None for an erased or
    unknown one."""
    member = await repos.members.get(tenant_id, member_id)
    for _ in range(MAX_MERGE_HOPS):
        if member is None or member.status is not MemberStatus.MERGED:
            break
        member = await repos.members.get(tenant_id, member.merged_into)
    return member if member is not None and member.is_active else None


async def lineage(repos: Repositories, tenant_id: str, member_id: str) -> list[str]:
    """The member and every member merged into it, whose purchases it now owns."""
    found, frontier = [member_id], [member_id]
    for _ in range(MAX_MERGE_HOPS):
        frontier = [m for f in frontier for m in await repos.members.merged_into(tenant_id, f)]
        found += [m for m in frontier if m not in found]
        if not frontier:
            break
    return found


async def purchases_of(
    repos: Repositories, member: Member, since: datetime
) -> list[QualifyingPurchase]:
    members = await lineage(repos, member.tenant_id, member.member_id)
    return await repos.qualifying.of_members(member.tenant_id, members, since)


async def reevaluate(
    repos: Repositories, tenant_id: str, member_id: str, now: datetime, *, reversal: bool
) -> None:
    member = await active_holder(repos, tenant_id, member_id)
    program = await repos.tenants.get_program(tenant_id)
    if member is None or program is None:
        return
    await repos.qualifying.lock_member(tenant_id, member.member_id)
    purchases = await purchases_of(repos, member, window_start(program, now))
    amount = qualifying_amount(program, purchases, now)
    current = member.tier or entry_state(program, now)
    outcome = evaluate_tier(program, amount, current, now, reversal=reversal)
    await apply_tier_outcome(repos, member, outcome, actor=SYSTEM, now=now)
