"""A member's profile: what the profiling reports need of one member and nothing else (no
personal data: the opaque id only). Retention, RFM, churn risk, win-back and the league
table's reach and holdout comparison all read it, from pages of many members each
(adapters/pages.py), instead of one member document per member. Pure: a profile is made
from the member's document as the batch left it, and turned here into what each report's
arithmetic takes, with the same members left out as the per-member reads left out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.analytics.domain.churn import MIN_PURCHASE_DAYS, ChurnMember
from services.analytics.domain.ports import MemberMarks
from services.analytics.domain.retention import CohortMember
from services.analytics.domain.rfm import RfmMember
from services.analytics.domain.winback import RewardedMember


@dataclass(frozen=True)
class Bought:
    """A day the member bought (or has spend recorded on): its orders and gross cents, and
    the first store (by id) of its purchases that day; None when no purchase is recorded
    that day, only spend."""

    day: str
    orders: int
    gross: int
    store_id: str | None


@dataclass(frozen=True)
class MemberProfile:
    member_id: str
    tier: str = ""
    since: str = ""  # the day it enrolled
    merged_into: str = ""
    enrolled: bool = False
    erased: bool = False
    refuses_profiling: bool = False
    days: tuple[Bought, ...] = ()  # by day
    returns: tuple[tuple[str, int], ...] = ()  # (day, cents), by day
    rewards: tuple[tuple[str, str], ...] = ()  # (campaign id, day)

    @property
    def merged(self) -> bool:
        return bool(self.merged_into)

    @property
    def purchase_days(self) -> tuple[str, ...]:
        return tuple(b.day for b in self.days if b.store_id is not None)

    @property
    def profiled(self) -> bool:
        """In the profiling analyses: neither merged away nor refusing profiling."""
        return not self.merged_into and not self.refuses_profiling


def cohort_members(
    profiles: Iterable[MemberProfile], from_day: str, to_day: str
) -> list[CohortMember]:
    """Members who enrolled in the days, merged ones and those refusing profiling left out."""
    return [
        CohortMember(p.since, p.purchase_days)
        for p in profiles
        if p.profiled and p.since and from_day <= p.since <= to_day
    ]


def rfm_members(profiles: Iterable[MemberProfile], from_day: str, to_day: str) -> list[RfmMember]:
    """Members who bought in the days, merged ones and those refusing profiling left out."""
    return [
        RfmMember(
            {b.day: b.orders for b in p.days if b.orders},
            {b.day: b.gross for b in p.days},
            dict(p.returns),
        )
        for p in profiles
        if p.profiled and any(from_day <= day <= to_day for day in p.purchase_days)
    ]


def churn_member(profile: MemberProfile) -> ChurnMember:
    days = profile.purchase_days
    last = next((b.store_id for b in reversed(profile.days) if b.store_id is not None), "")
    return ChurnMember(
        member_id=profile.member_id,
        tier=profile.tier,
        erased=profile.erased,
        purchase_days=days,
        last_store=last or "",
        return_days=tuple(day for day, cents in profile.returns if cents),
    )


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
        RewardedMember(p.rewards, p.purchase_days) for p in profiles if p.rewards and not p.merged
    ]


def net_cents(profile: MemberProfile, from_day: str, to_day: str) -> int:
    """Gross less returned cents on the days."""
    gross = sum(b.gross for b in profile.days if from_day <= b.day <= to_day)
    return gross - sum(cents for day, cents in profile.returns if from_day <= day <= to_day)


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
        for campaign_id in {c for c, day in p.rewards if from_day <= day <= to_day}:
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
