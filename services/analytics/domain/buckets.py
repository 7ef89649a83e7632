"""Bucket arithmetic: what one fact adds to the tenant's daily buckets and to the little
the read model keeps per member. Pure: the handler loads what a fact needs to know (the
member's state, the order a return is of) and stores what comes out.

A bucket is a tenant's counts for one day (in its time zone) and one combination of
dimensions (store, channel, tier, category, SKU); counts only ever add up, so a bucket
is an `$inc` and buckets of any range sum to the range's figure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from services.analytics.domain.activity import DAY, MONTH, YEAR, Buy, Buys, Change, differences
from services.analytics.domain.activity import rolled as rolled_up
from services.analytics.domain.days import local_day
from services.analytics.domain.facts import (
    CampaignInfo,
    CampaignSeen,
    ConsentsChanged,
    Enrolled,
    Erased,
    Fact,
    Merged,
    PointsMoved,
    Purchased,
    Returned,
    Rewarded,
    SoldLine,
    TierChanged,
    Wallet,
    WalletSeen,
)
from services.analytics.domain.liability import WalletChange, wallet_change
from services.analytics.domain.store_sets import rolled_sets, set_differences

CENT = Decimal("0.01")


class Kind(StrEnum):
    ENROLMENTS = "enrolments"  # by channel, store: members
    POINTS = "points"  # by channel, store: issued, redeemed, expired, reversed, adjusted
    ORDERS = "orders"  # by store, channel, tier: orders, gross, returned (cents)
    LINES = "lines"  # by store, channel, tier, category, sku: quantities and cents
    TIERS = "tiers"  # by tier: members joining (+) and leaving (-) the tier that day
    CAMPAIGNS = "campaigns"  # by campaign_id: points granted, grants
    # No dimensions: members active, as differences (domain/activity.py), counter
    # `<window>|<place>`, on their day, month (its first day) and year (its first day).
    ACTIVE = "active"
    ACTIVE_MONTHS = "active_months"
    ACTIVE_YEARS = "active_years"
    # By channel and set of stores: members active at exactly those stores, as
    # differences (domain/store_sets.py), counter `w<window>`, by day, month and year.
    ACTIVE_SETS = "active_sets"
    ACTIVE_SETS_MONTHS = "active_sets_months"
    ACTIVE_SETS_YEARS = "active_sets_years"


ACTIVE_LEVELS = {DAY: Kind.ACTIVE, MONTH: Kind.ACTIVE_MONTHS, YEAR: Kind.ACTIVE_YEARS}
SET_LEVELS = {DAY: Kind.ACTIVE_SETS, MONTH: Kind.ACTIVE_SETS_MONTHS, YEAR: Kind.ACTIVE_SETS_YEARS}


Dims = tuple[tuple[str, str], ...]
Counts = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Increment:
    kind: Kind
    day: str
    dims: Dims
    counts: Counts


@dataclass(frozen=True)
class MemberState:
    """What the read model keeps of a member: an opaque id, its tier, whether it was
    merged away (and into whom) or erased. No personal data."""

    member_id: str
    tier: str = ""
    merged_into: str = ""
    erased: bool = False
    # Whether it is counted in the members by tier: False while only points events named
    # it (they may overtake its enrolment).
    enrolled: bool = False
    since: str = ""  # the day it enrolled (the tenant's), its retention cohort
    refuses_profiling: bool = False
    buys: Buys = frozenset()  # the days it bought, where (a merged member's too)
    # The wallet the last points event left it (None: none seen), what a new one is
    # compared with to move the liability's running totals.
    wallet: Wallet | None = None


@dataclass(frozen=True)
class Known:
    """What the handler looked up for a fact: the member it names (for a merge, the
    merged one), the survivor a merge or a purchase naming a merged member goes to, and,
    for a return, the tier its order was bought in."""

    member: MemberState | None = None
    order_tier: str = ""
    survivor: MemberState | None = None


@dataclass(frozen=True)
class Enrol:
    tier: str
    day: str = ""
    refuses_profiling: bool = False


@dataclass(frozen=True)
class SetProfiling:
    refuses: bool


@dataclass(frozen=True)
class SetTier:
    tier: str


@dataclass(frozen=True)
class MarkMerged:
    into: str


@dataclass(frozen=True)
class MarkErased:
    pass


@dataclass(frozen=True)
class AddPurchase:
    day: str
    store_id: str
    channel: str
    gross: int = 0  # cents: the member's orders and spend per day (RFM)


@dataclass(frozen=True)
class AddReturn:
    """What a return brought back to the member, in cents, on its day (RFM)."""

    day: str
    amount: int


@dataclass(frozen=True)
class AddReward:
    """A campaign rewarded the member on the day (win-back)."""

    campaign_id: str
    day: str


@dataclass(frozen=True)
class TakeHistory:
    """The survivor of a merge takes the merged member's purchase days."""

    from_member: str


@dataclass(frozen=True)
class SetWallet:
    wallet: Wallet


MemberOp = (
    Enrol
    | SetTier
    | MarkMerged
    | MarkErased
    | AddPurchase
    | AddReturn
    | TakeHistory
    | SetWallet
    | SetProfiling
    | AddReward
)


@dataclass(frozen=True)
class Plan:
    increments: list[Increment] = field(default_factory=list)
    members: list[tuple[str, MemberOp]] = field(default_factory=list)
    # (order id, tier bought in): what a later return of the order is counted under.
    orders: list[tuple[str, str]] = field(default_factory=list)
    # What a campaign's rewards count for (win-back, the league table).
    campaigns: list[CampaignInfo] = field(default_factory=list)
    # What the member's new wallet moves the liability by (domain/liability.py).
    wallets: list[WalletChange] = field(default_factory=list)


def cents(amount: Decimal) -> int:
    return int((amount / CENT).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def plan(fact: Fact, time_zone: str, known: Known = Known()) -> Plan:
    """What `fact` changes, with its day in `time_zone`."""
    planner = _PLANNERS.get(type(fact))
    return Plan() if planner is None else planner(fact, local_day(fact.at, time_zone), known)


def _moved(fact: PointsMoved, day: str, known: Known) -> Plan:
    dims = (("channel", fact.channel), ("store_id", fact.store_id))
    counts = ((fact.movement.value, fact.points),)
    return Plan(increments=[Increment(Kind.POINTS, day, dims, counts)])


def _wallet_seen(fact: WalletSeen, day: str, known: Known) -> Plan:
    """The wallet replaces the one kept (the last applied in stream order wins, as the
    member's document keeps it); the liability moves by the difference, so its totals
    stay the sum of the kept wallets. A merged or erased member's wallet still counts."""
    before = None if known.member is None else known.member.wallet
    change = wallet_change(before, fact.wallet)
    return Plan(
        members=[(fact.member_id, SetWallet(fact.wallet))],
        wallets=[change] if change else [],
    )


def _erased(fact: Erased, day: str, known: Known) -> Plan:
    return Plan(members=[(fact.member_id, MarkErased())])


def _tier_move(day: str, tier: str, members: int) -> Increment:
    return Increment(Kind.TIERS, day, (("tier", tier),), (("members", members),))


def _enrolled(fact: Enrolled, day: str, known: Known) -> Plan:
    if known.member is not None and (known.member.enrolled or known.member.merged_into):
        return Plan()  # counted already
    dims = (("channel", fact.channel), ("store_id", fact.store_id))
    return Plan(
        increments=[
            Increment(Kind.ENROLMENTS, day, dims, (("members", 1),)),
            _tier_move(day, fact.tier, 1),
        ],
        members=[(fact.member_id, Enrol(fact.tier, day, fact.refuses_profiling))],
    )


def _consents_changed(fact: ConsentsChanged, day: str, known: Known) -> Plan:
    return Plan(members=[(fact.member_id, SetProfiling(fact.refuses_profiling))])


def _tier_changed(fact: TierChanged, day: str, known: Known) -> Plan:
    member = known.member
    if member is not None and member.merged_into:
        return Plan()
    moves = [_tier_move(day, fact.to_tier, 1)]
    if member is not None and member.enrolled:  # else enrolled before the log began
        moves.append(_tier_move(day, member.tier, -1))
    return Plan(increments=moves, members=[(fact.member_id, SetTier(fact.to_tier))])


def _merged(fact: Merged, day: str, known: Known) -> Plan:
    gone = known.member
    if gone is not None and gone.merged_into:
        return Plan()
    ops: list[tuple[str, MemberOp]] = [
        (fact.merged_id, MarkMerged(fact.member_id)),
        (fact.member_id, TakeHistory(fact.merged_id)),
    ]
    moves = [_tier_move(day, gone.tier, -1)] if gone is not None and gone.enrolled else []
    return Plan(increments=moves + _merge_activity(fact, gone, known.survivor), members=ops)


def _merge_activity(
    fact: Merged, gone: MemberState | None, survivor: MemberState | None
) -> list[Increment]:
    """The merged member stops counting; the survivor counts with both members' days."""
    taken = gone.buys if gone is not None else frozenset()
    changes: list[Change] = [(taken, None)]
    if fact.member_id != fact.merged_id and not (survivor and survivor.merged_into):
        kept = survivor.buys if survivor is not None else frozenset()
        changes.append((kept, kept | taken))
    return activity_increments(changes)


def activity_increments(changes: list[Change]) -> list[Increment]:
    """The differences of members active that `changes` make, on their days, months and
    years (domain/activity.py), and of the members in each set of stores
    (domain/store_sets.py)."""
    increments = [
        Increment(ACTIVE_LEVELS[level], day, (), tuple(counts.items()))
        for level, diffs in rolled_up(differences(changes)).items()
        for day, counts in diffs.items()
    ]
    return increments + [
        Increment(
            SET_LEVELS[level],
            day,
            (("channel", channel), ("stores", stores)),
            tuple(counts.items()),
        )
        for level, diffs in rolled_sets(set_differences(changes)).items()
        for day, sets in diffs.items()
        for (channel, stores), counts in sets.items()
    ]


def _sale_dims(store_id: str, channel: str, tier: str) -> Dims:
    return (("store_id", store_id), ("channel", channel), ("tier", tier))


def _line_dims(sale: Dims, line: SoldLine) -> Dims:
    return (*sale, ("category", line.category), ("sku", line.sku))


def _purchased(fact: Purchased, day: str, known: Known) -> Plan:
    buyer, state = fact.member_id, known.member
    if known.member is not None and known.member.merged_into:
        buyer = known.member.merged_into  # history follows the survivor
        state = known.survivor
    sale = _sale_dims(fact.store_id, fact.channel, fact.tier)
    increments = [Increment(Kind.ORDERS, day, sale, (("orders", 1), ("gross", cents(fact.total))))]
    increments += [
        Increment(
            Kind.LINES,
            day,
            _line_dims(sale, line),
            (("quantity", line.quantity), ("gross", cents(line.amount))),
        )
        for line in fact.lines
    ]
    if state is None or not state.merged_into:  # a merged member counts for nothing
        before = state.buys if state is not None else frozenset()
        bought = Buy(day, fact.store_id, fact.channel)
        increments += activity_increments([(before, before | {bought})])
    return Plan(
        increments=increments,
        members=[(buyer, AddPurchase(day, fact.store_id, fact.channel, cents(fact.total)))],
        orders=[(fact.order_id, fact.tier)],
    )


def _returned(fact: Returned, day: str, known: Known) -> Plan:
    """Counted on the day and at the store and channel of the return, under the tier the
    order was bought in."""
    sale = _sale_dims(fact.store_id, fact.channel, known.order_tier)
    points_dims = (("channel", fact.channel), ("store_id", fact.store_id))
    increments = [
        Increment(Kind.ORDERS, day, sale, (("returned", cents(fact.amount)),)),
        Increment(Kind.POINTS, day, points_dims, (("reversed", fact.points),)),
    ]
    increments += [
        Increment(
            Kind.LINES,
            day,
            _line_dims(sale, line),
            (("returned_quantity", line.quantity), ("returned", cents(line.amount))),
        )
        for line in fact.lines
    ]
    return Plan(
        increments=increments, members=[(fact.member_id, AddReturn(day, cents(fact.amount)))]
    )


def _campaign_seen(fact: CampaignSeen, day: str, known: Known) -> Plan:
    return Plan(campaigns=[fact.campaign])


def _rewarded(fact: Rewarded, day: str, known: Known) -> Plan:
    member = fact.member_id
    if known.member is not None and known.member.merged_into:
        member = known.member.merged_into  # history follows the survivor
    counts = (("points", fact.points), ("grants", 1))
    return Plan(
        increments=[Increment(Kind.CAMPAIGNS, day, (("campaign_id", fact.campaign_id),), counts)],
        members=[(member, AddReward(fact.campaign_id, day))],
    )


_PLANNERS: dict[type, Callable[[Any, str, Known], Plan]] = {
    Enrolled: _enrolled,
    ConsentsChanged: _consents_changed,
    TierChanged: _tier_changed,
    Merged: _merged,
    Erased: _erased,
    Purchased: _purchased,
    Returned: _returned,
    PointsMoved: _moved,
    WalletSeen: _wallet_seen,
    CampaignSeen: _campaign_seen,
    Rewarded: _rewarded,
}
