"""What counts toward a tier: the purchases of the program's rolling window, less returns.

The member service learns of purchases and returns from the points service's events and
keeps one `QualifyingPurchase` per order. A member's qualifying amount is the sum over
the window, in points earned or in spend (whole currency units), as the program says.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from services.member.domain.tier_rules import period_end
from services.member.domain.tiers import DowngradePolicy, Tier, TierProgram, TierState

SPEND = "spend"


@dataclass(frozen=True)
class QualifyingPurchase:
    """One order: what it earned and cost, and how many of its points returns took back.

    A return's event may be handled before its purchase's; until then `points` is 0.
    """

    tenant_id: str
    order_id: str
    member_id: str
    occurred_at: datetime
    points: int
    spend: Decimal
    reversed_points: int = 0
    # The events that changed it (its purchase, bonuses, returns): a redelivered one finds
    # its id here and changes nothing more.
    events: tuple[str, ...] = ()

    def counts(self, metric: str) -> Decimal:
        """Its share of the amount. A return takes back spend in the proportion it took
        back points (the points event says how many points, not how much money)."""
        kept = max(0, self.points - self.reversed_points)
        if metric != SPEND:
            return Decimal(kept)
        if self.points <= 0:
            return self.spend if self.reversed_points == 0 else Decimal(0)
        return self.spend * kept / self.points


def window_start(program: TierProgram, now: datetime) -> datetime:
    return now - timedelta(days=program.window_days)


def counted(
    program: TierProgram, purchases: Iterable[QualifyingPurchase], now: datetime
) -> list[QualifyingPurchase]:
    since = window_start(program, now)
    metric = program.qualifying_metric
    return [p for p in purchases if p.occurred_at >= since and p.counts(metric) > 0]


def qualifying_amount(
    program: TierProgram, purchases: Iterable[QualifyingPurchase], now: datetime
) -> int:
    """The amount over the window ending `now`, rounded down to a whole unit."""
    total = sum(
        (p.counts(program.qualifying_metric) for p in counted(program, purchases, now)),
        Decimal(0),
    )
    return math.floor(total)


def entry_state(program: TierProgram, now: datetime) -> TierState:
    entry = program.entry_tier
    return TierState(entry.code, entry.name, now, period_end(program, now))


@dataclass(frozen=True)
class TierProgress:
    member_id: str
    tier: TierState
    metric: str
    window_days: int
    amount: int
    next_tier: Tier | None
    still_needed: int
    counted_since: datetime
    needed_by: datetime | None
    held_until: datetime | None
    # Set when a cart was given: what the next tier would still take once it is paid.
    still_needed_after_cart: int | None = None


@dataclass(frozen=True)
class Cart:
    """A purchase about to be paid: the points it earns and what it costs."""

    points: int
    spend: Decimal


def still_needed_after(progress: TierProgress, cart: Cart) -> int | None:
    """What the next tier would still take once `cart` is paid, counted as the program
    counts (points earned, or spend in whole currency units); None at the top tier."""
    if progress.next_tier is None:
        return None
    paid = int(cart.spend) if progress.metric == SPEND else cart.points
    return max(0, progress.still_needed - paid)


def held_until(program: TierProgram, tier: TierState) -> datetime | None:
    """Until when the tier holds whatever happens; None when it never drops."""
    if tier.manual is not None:
        return tier.manual.until
    if program.downgrade_policy is DowngradePolicy.NEVER:
        return None
    ends = tier.period_ends_at or period_end(program, tier.since)
    return ends + timedelta(days=program.downgrade_grace_days)


def tier_progress(
    program: TierProgram,
    member_id: str,
    current: TierState,
    purchases: Iterable[QualifyingPurchase],
    now: datetime,
) -> TierProgress:
    kept = counted(program, purchases, now)
    amount = qualifying_amount(program, kept, now)
    rank = program.rank_of(current.code)
    above = [t for i, t in enumerate(program.tiers) if i > rank and t.threshold > amount]
    next_tier = above[0] if above else None
    oldest = min((p.occurred_at for p in kept), default=None)
    return TierProgress(
        member_id=member_id,
        tier=current,
        metric=program.qualifying_metric,
        window_days=program.window_days,
        amount=amount,
        next_tier=next_tier,
        still_needed=next_tier.threshold - amount if next_tier else 0,
        counted_since=window_start(program, now),
        needed_by=oldest + timedelta(days=program.window_days) if oldest else None,
        held_until=held_until(program, current),
    )
