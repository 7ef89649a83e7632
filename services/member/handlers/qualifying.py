"""Tiers that follow purchases: each points event counts once and re-evaluates the tier.

An upgrade happens as soon as the purchase's event is handled; a return re-evaluates with
`reversal`, so a tier the purchase alone reached is taken back. Events naming a member
since merged count for the member it was merged into. Each event changes the member's
book of qualifying orders (domain/tier_book.py), which also records the event's id, in
one transaction per batch; the member's personal data is never read on this path.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from libs.clock import Clock, utc_now
from services.member.domain.ports import Repositories, UnitOfWork
from services.member.domain.tier_book import QualifyingBook
from services.member.handlers.tier_books import Change, reevaluate, unchanged
from services.member.handlers.tier_reads import TierReads

CONSUMER = "member-tiers"


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


@dataclass(frozen=True)
class Work:
    """An event's counting for the member it names, in the transaction and with the reads
    it is given; False when the event was counted before."""

    tenant_id: str
    member_id: str
    count: Callable[[Repositories, TierReads], Awaitable[bool]]

    async def alone(self, repos: Repositories) -> bool:
        return await self.count(repos, TierReads(repos))


@dataclass(frozen=True)
class Counting:
    clock: Clock = utc_now
    # While inbox rows of the versions before the books may name a redeliverable event.
    legacy_claims: bool = False


AS_USUAL = Counting()


def _counting(
    event_id: str,
    tenant_id: str,
    member_id: str,
    change: Change,
    how: Counting,
    *,
    reversal: bool,
) -> Work:
    """Change the member's book with the event and evaluate its tier, in the transaction
    it is given; False when the event was counted before (its id is in the book, or in an
    inbox row of the versions before the books while the stream may still redeliver it)."""

    async def count(repos: Repositories, reads: TierReads) -> bool:
        if how.legacy_claims and event_id and await repos.claimed(CONSUMER, event_id):
            return False
        now = how.clock()
        counted = await reevaluate(
            repos,
            tenant_id,
            member_id,
            now,
            change,
            event_id=event_id,
            reversal=reversal,
            reads=reads,
        )
        return counted.new

    return Work(tenant_id, member_id, count)


def purchase_work(cmd: CountPurchase, how: Counting = AS_USUAL) -> Work:
    def change(own: QualifyingBook, merged: list[QualifyingBook]) -> QualifyingBook:
        return own.with_purchase(cmd.order_id, cmd.occurred_at, cmd.points, cmd.spend, cmd.event_id)

    return _counting(cmd.event_id, cmd.tenant_id, cmd.member_id, change, how, reversal=False)


def return_work(cmd: CountReturn, how: Counting = AS_USUAL) -> Work:
    def change(own: QualifyingBook, merged: list[QualifyingBook]) -> QualifyingBook:
        return own.with_return(cmd.order_id, cmd.points, cmd.at, cmd.event_id)

    return _counting(cmd.event_id, cmd.tenant_id, cmd.member_id, change, how, reversal=True)


def bonus_work(cmd: CountBonus, how: Counting = AS_USUAL) -> Work:
    def change(own: QualifyingBook, merged: list[QualifyingBook]) -> QualifyingBook:
        """Only for an order the lineage's books know: one they no longer keep is too old
        to count, and its bonus with it."""
        if not any(book.has(cmd.order_id) for book in (own, *merged)):
            return own
        return own.with_bonus(cmd.order_id, cmd.points, cmd.at, cmd.event_id)

    return _counting(cmd.event_id, cmd.tenant_id, cmd.member_id, change, how, reversal=False)


def recount_work(cmd: RecountMember, how: Counting = AS_USUAL) -> Work:
    """Evaluating the survivor again changes nothing a second time: no record is needed."""
    return _counting("", cmd.tenant_id, cmd.member_id, unchanged, how, reversal=False)


async def count_purchase(cmd: CountPurchase, uow: UnitOfWork, clock: Clock = utc_now) -> bool:
    """False when the event was handled before."""
    return await uow.transaction(purchase_work(cmd, Counting(clock)).alone)


async def count_return(cmd: CountReturn, uow: UnitOfWork, clock: Clock = utc_now) -> bool:
    return await uow.transaction(return_work(cmd, Counting(clock)).alone)


async def count_bonus(cmd: CountBonus, uow: UnitOfWork, clock: Clock = utc_now) -> bool:
    return await uow.transaction(bonus_work(cmd, Counting(clock)).alone)


async def recount_member(cmd: RecountMember, uow: UnitOfWork, clock: Clock = utc_now) -> bool:
    return await uow.transaction(recount_work(cmd, Counting(clock)).alone)


async def count_together(works: Sequence[Work], uow: UnitOfWork) -> int:
    """Several events in one transaction, in their order, each claimed in it (a batch of
    the consumer's), their members, merges and books read ahead together; how many were
    new."""

    async def work(repos: Repositories) -> int:
        reads = TierReads(repos)
        await reads.read_ahead((each.tenant_id, each.member_id) for each in works)
        counted = 0
        for each in works:
            counted += await each.count(repos, reads)
        return counted

    return await uow.transaction(work)
