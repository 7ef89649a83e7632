"""A member's tier evaluated on its books of qualifying orders, with no personal data read:
the member's status, tier and merges (`TierHolder`) and the books of its lineage."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from services.member.domain.members import MemberStatus
from services.member.domain.ports import Repositories
from services.member.domain.qualifying import (
    QualifyingPurchase,
    entry_state,
    qualifying_amount,
    window_start,
)
from services.member.domain.tier_book import QualifyingBook, TierHolder, combined
from services.member.domain.tier_rules import evaluate_tier
from services.member.handlers.tier_reads import TierReads
from services.member.handlers.tiers import apply_holder_outcome

# A survivor merged again is followed too; a longer chain means the data is broken.
MAX_MERGE_HOPS = 3


async def active_holder(reads: TierReads, tenant_id: str, member_id: str) -> TierHolder | None:
    """The active member behind `member_id`, following merges; None for an erased or
    unknown one."""
    holder = await reads.holder(tenant_id, member_id)
    for _ in range(MAX_MERGE_HOPS):
        if holder is None or holder.status is not MemberStatus.MERGED:
            break
        holder = await reads.holder(tenant_id, holder.merged_into)
    return holder if holder is not None and holder.is_active else None


async def lineage(reads: TierReads, tenant_id: str, member_id: str) -> list[str]:
    """The member and every member merged into it, whose purchases it now owns."""
    found, frontier = [member_id], [member_id]
    for _ in range(MAX_MERGE_HOPS):
        frontier = [m for f in frontier for m in await reads.merged_into(tenant_id, f)]
        found += [m for m in frontier if m not in found]
        if not frontier:
            break
    return found


async def books_of(
    reads: TierReads, tenant_id: str, member_id: str
) -> tuple[QualifyingBook, list[QualifyingBook]]:
    """The member's own book, and those of the members merged into it."""
    members = await lineage(reads, tenant_id, member_id)
    books = {b.member_id: b for b in await reads.books(tenant_id, members)}
    own = books.pop(member_id, QualifyingBook(tenant_id, member_id))
    return own, list(books.values())


async def purchases_of(
    repos: Repositories, tenant_id: str, member_id: str
) -> list[QualifyingPurchase]:
    """Every order that counts for the member, over its lineage's books."""
    own, merged = await books_of(TierReads(repos), tenant_id, member_id)
    return combined(o for book in (own, *merged) for o in book.orders)


@dataclass(frozen=True)
class Counted:
    new: bool
    # The member's tier state moved.
    changed: bool = False


# The member's own book and those merged into it, to the own book changed by an event.
Change = Callable[[QualifyingBook, list[QualifyingBook]], QualifyingBook]


def unchanged(own: QualifyingBook, merged: list[QualifyingBook]) -> QualifyingBook:
    return own


async def reevaluate(
    repos: Repositories,
    tenant_id: str,
    member_id: str,
    now: datetime,
    change: Change,
    *,
    event_id: str = "",
    reversal: bool,
    every_change_in_history: bool = False,
    reads: TierReads | None = None,
) -> Counted:
    """Change the active holder's book with the event `event_id`, write it (only the
    orders it keeps) and store the tier its lineage's orders reach. Not new when a book
    of the lineage has counted the event already (then nothing changes). An event for an
    erased or unknown member, or a tenant with no program, changes nothing. `reads`: a
    batch's reads, shared by its events (else this event reads alone)."""
    reads = reads or TierReads(repos)
    holder = await active_holder(reads, tenant_id, member_id)
    program = await repos.tenants.get_program(tenant_id)
    if holder is None or program is None:
        return Counted(new=True)
    own, merged = await books_of(reads, tenant_id, holder.member_id)
    if event_id and any(b.counted(event_id) for b in (own, *merged)):
        return Counted(new=False)
    book = change(own, merged).kept(window_start(program, now), now)
    await reads.save_book(book)
    orders = combined(o for b in (book, *merged) for o in b.orders)
    amount = qualifying_amount(program, orders, now)
    current = holder.tier or entry_state(program, now)
    outcome = evaluate_tier(program, amount, current, now, reversal=reversal)
    await apply_holder_outcome(
        repos, holder, outcome, now=now, every_change_in_history=every_change_in_history
    )
    if outcome.changed:
        reads.tier_saved(holder, outcome.state)
    return Counted(new=True, changed=outcome.changed)
