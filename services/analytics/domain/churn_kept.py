"""Churn risk from what a member page keeps of each assessable member: its purchase
history summed up once, when the member changes, so a report as of today decodes no
member's days. Pure.

A member's `ChurnHeading` holds the third and last of its purchase days, its usual
interval and its last interval over all of them, and the first return day on or after
its last purchase: as of any day on or after the last purchase (today, for every member
who has not bought since) that is everything `churn.assess` works out from the days,
so the risk comes from a few comparisons. As of an earlier day (a past report, or a
member who bought after it) the member's days are cut at that day and assessed as
before. Either way the figures are `churn.churn_risk`'s (a test holds them equal)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from itertools import pairwise
from statistics import median
from typing import NamedTuple

from services.analytics.domain.churn import (
    BEYOND_USUAL,
    GAP_FACTOR,
    LAPSED,
    LAPSED_DAYS,
    MAX_SCORE,
    MIN_PURCHASE_DAYS,
    MIN_USUAL_DAYS,
    REASON_POINTS,
    RETURNED,
    SLOWING,
    SLOWING_FACTOR,
    AtRisk,
    ChurnMember,
    ChurnRisk,
    assess,
    risk_report,
)


class ChurnHeading(NamedTuple):
    """What churn risk needs of a member with enough history, as of its last purchase."""

    third_day: str  # from this day on the member is assessed
    last_day: str
    at_risk_after: str  # the last day with a gap of at most `GAP_FACTOR` usual intervals
    usual: int  # days
    last_interval: int  # days between its last two purchase days
    returned_from: str  # its first return day on or after `last_day`, "" for none


# What decides whether a member is assessed and at risk as of a day on or after its last
# purchase, and the filters: its third and last purchase days, the day after which it is
# at risk, its tier and the store of its last purchase. Read for every member (a plain
# tuple: a named one costs several times more to make), the rest only for those at risk
# or who bought after the day.
ChurnIndex = tuple[str, str, str, str, str]


class KeptChurn(NamedTuple):
    """A member as churn risk reads it from its page: who it is, its heading, and its
    days (for a report as of a day before its last purchase)."""

    member_id: str
    tier: str
    erased: bool
    last_store: str
    heading: ChurnHeading
    purchase_days: tuple[str, ...]
    return_days: tuple[str, ...]  # the days of returns that brought back any cents

    def member(self) -> ChurnMember:
        return ChurnMember(
            self.member_id,
            self.tier,
            self.erased,
            self.purchase_days,
            self.last_store,
            self.return_days,
        )


class KeptChurns(NamedTuple):
    """The members churn risk assesses as their pages give them: each one's index, and a
    way to the rest of the n-th."""

    indexes: list[ChurnIndex]
    rest: Callable[[int], KeptChurn]


def heading_of(member: ChurnMember) -> ChurnHeading | None:
    """None: fewer than `MIN_PURCHASE_DAYS` purchase days, never assessed."""
    days = sorted(set(member.purchase_days))
    if len(days) < MIN_PURCHASE_DAYS:
        return None
    ordinals = [date.fromisoformat(d).toordinal() for d in days]
    intervals = [later - earlier for earlier, later in pairwise(ordinals)]
    last = days[-1]
    returned = min((d for d in member.return_days if d >= last), default="")
    usual = max(MIN_USUAL_DAYS, int(median(intervals)))
    after = date.fromordinal(ordinals[-1] + GAP_FACTOR * usual).isoformat()
    return ChurnHeading(days[MIN_PURCHASE_DAYS - 1], last, after, usual, intervals[-1], returned)


def _risk(member: KeptChurn, heading: ChurnHeading, as_of: str, gap: int) -> AtRisk | None:
    """`churn.assess` for `as_of` on or after the last purchase day, from the heading."""
    usual = heading.usual
    if gap <= GAP_FACTOR * usual:
        return None
    reasons = [BEYOND_USUAL]
    if gap >= LAPSED_DAYS:
        reasons.append(LAPSED)
    if heading.last_interval > SLOWING_FACTOR * usual:
        reasons.append(SLOWING)
    if heading.returned_from and heading.returned_from <= as_of:
        reasons.append(RETURNED)
    score = min(MAX_SCORE, 100 * (gap - usual) // gap + REASON_POINTS * (len(reasons) - 1))
    return AtRisk(
        "" if member.erased else member.member_id,
        member.tier,
        member.last_store,
        heading.last_day,
        gap,
        usual,
        score,
        tuple(reasons),
    )


def kept_churn_risk(
    kept: KeptChurns,
    as_of: str,
    tier: str = "",
    store_ids: Iterable[str] = (),
) -> ChurnRisk:
    """`churn.churn_risk` of the same members, each given by its index and a way to
    the rest of it, taken only for a member at risk or who bought after `as_of`."""
    return risk_report(as_of, *kept_risks(kept, as_of, tier, store_ids))


def kept_risks(
    kept: KeptChurns, as_of: str, tier: str = "", store_ids: Iterable[str] = ()
) -> tuple[int, list[AtRisk]]:
    """The members assessed and those at risk (in no order), of `kept_churn_risk`: the
    report of several groups of members is `risk_report` of their sums."""
    stores = set(store_ids)
    today = date.fromisoformat(as_of).toordinal()
    ordinals: dict[str, int] = {}
    assessed = 0
    risks: list[AtRisk] = []
    rest = kept.rest
    for n, (third, last, at_risk_after, its_tier, store) in enumerate(kept.indexes):
        if (tier and its_tier != tier) or (stores and store not in stores):
            continue
        if third > as_of:
            continue
        assessed += 1
        if last <= as_of <= at_risk_after:
            continue
        member = rest(n)
        if last > as_of:
            risk = assess(member.member(), as_of)
        else:
            day = ordinals.get(last)
            if day is None:
                day = ordinals[last] = date.fromisoformat(last).toordinal()
            risk = _risk(member, member.heading, as_of, today - day)
        if risk is not None:
            risks.append(risk)
    return assessed, risks
