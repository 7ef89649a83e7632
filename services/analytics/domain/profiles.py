"""A member's profile: what the profiling reports need of one member and nothing else (no
personal data: the opaque id only). Retention, RFM, churn risk, win-back and the league
table's reach and holdout comparison all read it, from pages of many members each
(adapters/pages.py), instead of one member document per member. Pure: a profile is made
from the member's document as the batch left it, and turned here into what each report's
arithmetic takes, with the same members left out as the per-member reads left out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from services.analytics.domain.churn import MIN_PURCHASE_DAYS, ChurnMember
from services.analytics.domain.ports import MemberMarks
from services.analytics.domain.retention import CohortMember
from services.analytics.domain.rfm import RfmMember, RfmTotals
from services.analytics.domain.winback import RewardedMember


@dataclass(frozen=True)
class Wanted:
    """Which members a report reads: a necessary condition, checked on what a page line
    says before the rest of it is decoded (the report's own function then decides
    exactly). Every condition given must hold."""

    profiled: bool = False  # neither merged away nor refusing profiling
    unmerged: bool = False
    enrolled: bool = False
    # A purchase day may be in the days: the first is not after them, the last not before.
    bought_within: tuple[str, str] | None = None
    min_purchase_days: int = 0
    rewarded: bool = False
    marked: bool = False  # merged away or refusing profiling


class MemberProfile(NamedTuple):
    """A member's profile. (A tuple, its days and amounts in columns: one is made for every
    member a report reads, up to every member of the tenant.)"""

    member_id: str
    tier: str = ""
    since: str = ""  # the day it enrolled
    merged_into: str = ""
    enrolled: bool = False
    erased: bool = False
    refuses_profiling: bool = False
    purchase_days: tuple[str, ...] = ()  # distinct, in order
    last_store: str = ""  # the first store (by id) of the last purchase day's purchases
    # The days with orders or spend, in order, and on each the orders and gross cents.
    spend_days: tuple[str, ...] = ()
    orders: tuple[int, ...] = ()
    gross: tuple[int, ...] = ()
    return_days: tuple[str, ...] = ()  # in order
    returned: tuple[int, ...] = ()  # cents, on each return day
    reward_campaigns: tuple[str, ...] = ()  # each reward's campaign and day
    reward_days: tuple[str, ...] = ()

    @property
    def merged(self) -> bool:
        return bool(self.merged_into)

    @property
    def profiled(self) -> bool:
        """In the profiling analyses: neither merged away nor refusing profiling."""
        return not self.merged_into and not self.refuses_profiling

    @property
    def rewards(self) -> tuple[tuple[str, str], ...]:
        return tuple(zip(self.reward_campaigns, self.reward_days, strict=True))


def cohort_members(
    profiles: Iterable[MemberProfile], from_day: str, to_day: str
) -> list[CohortMember]:
    """Members who enrolled in the days, merged ones and those refusing profiling left out:
    the triangle's members, whose `retention` the kept counts' `cohorts.triangle` equals
    (the report reads the counts; tests hold the two equal)."""
    return [
        CohortMember(p.since, p.purchase_days)
        for p in profiles
        if p.profiled and p.since and from_day <= p.since <= to_day
    ]


def rfm_wanted(from_day: str, to_day: str) -> Wanted:
    return Wanted(profiled=True, bought_within=(from_day, to_day))


def rfm_totals(profiles: Iterable[MemberProfile], from_day: str, to_day: str) -> list[RfmTotals]:
    """Each member's orders, net cents and last purchase day in the days (domain/rfm.py's
    `totals`, over the profile's columns), for members who ordered in them, merged ones
    and those refusing profiling left out."""
    placed: list[RfmTotals] = []
    for p in profiles:
        if not p.profiled:
            continue
        count = gross = 0
        last = ""
        for day, n, cents in zip(p.spend_days, p.orders, p.gross, strict=True):
            if from_day <= day <= to_day:
                count += n
                gross += cents
                last = day if n else last
        if count <= 0:
            continue
        returned = zip(p.return_days, p.returned, strict=True)
        placed.append((count, gross - sum(c for d, c in returned if from_day <= d <= to_day), last))
    return placed


def rfm_members(profiles: Iterable[MemberProfile]) -> list[RfmMember]:
    """Each profile's orders, gross and returns by day, as the RFM arithmetic takes them."""
    return [
        RfmMember(
            {day: n for day, n in zip(p.spend_days, p.orders, strict=True) if n},
            dict(zip(p.spend_days, p.gross, strict=True)),
            dict(zip(p.return_days, p.returned, strict=True)),
        )
        for p in profiles
    ]


def churn_member(profile: MemberProfile) -> ChurnMember:
    return ChurnMember(
        member_id=profile.member_id,
        tier=profile.tier,
        erased=profile.erased,
        purchase_days=profile.purchase_days,
        last_store=profile.last_store,
        return_days=tuple(
            day for day, cents in zip(profile.return_days, profile.returned, strict=True) if cents
        ),
    )


EVERYONE = Wanted()
CHURN_WANTED = Wanted(profiled=True, min_purchase_days=MIN_PURCHASE_DAYS)
REWARDED_WANTED = Wanted(unmerged=True, rewarded=True)
SPEND_WANTED = Wanted(unmerged=True, enrolled=True)
MARKS_WANTED = Wanted(marked=True)


def churn_members(profiles: Iterable[MemberProfile]) -> list[ChurnMember]:
    """Members who bought on three days or more, merged ones and those refusing profiling
    left out."""
    return [
        churn_member(p)
        for p in profiles
        if p.profiled and len(p.purchase_days) >= MIN_PURCHASE_DAYS
    ]


def rewarded_members(profiles: Iterable[MemberProfile]) -> list[RewardedMember]:
    """Members a campaign rewarded, merged ones left out."""
    return [
        RewardedMember(p.rewards, p.purchase_days)
        for p in profiles
        if p.reward_days and not p.merged
    ]


def _within(days: tuple[str, ...], amounts: tuple[int, ...], from_day: str, to_day: str) -> int:
    return sum(n for day, n in zip(days, amounts, strict=True) if from_day <= day <= to_day)


def net_cents(profile: MemberProfile, from_day: str, to_day: str) -> int:
    """Gross less returned cents on the days."""
    gross = _within(profile.spend_days, profile.gross, from_day, to_day)
    return gross - _within(profile.return_days, profile.returned, from_day, to_day)


def member_spend(profiles: Iterable[MemberProfile], from_day: str, to_day: str) -> dict[str, int]:
    """Every enrolled member (merged ones left out) and its net cents in the days."""
    return {
        p.member_id: net_cents(p, from_day, to_day) for p in profiles if p.enrolled and not p.merged
    }


def campaign_reach(profiles: Iterable[MemberProfile], from_day: str, to_day: str) -> dict[str, int]:
    """Per campaign, the members (merged ones left out: in their survivor) it rewarded in
    the days, each once."""
    reach: dict[str, int] = {}
    for p in profiles:
        if p.merged:
            continue
        rewards = zip(p.reward_campaigns, p.reward_days, strict=True)
        for campaign_id in {c for c, day in rewards if from_day <= day <= to_day}:
            reach[campaign_id] = reach.get(campaign_id, 0) + 1
    return reach


def member_marks(profiles: Iterable[MemberProfile]) -> MemberMarks:
    """Every merged member with whom it was merged into, and every member who refused
    profiling."""
    listed = list(profiles)
    return MemberMarks(
        {p.member_id: p.merged_into for p in listed if p.merged},
        frozenset(p.member_id for p in listed if p.refuses_profiling),
    )
