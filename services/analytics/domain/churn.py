"""Churn risk: a member is at risk when the gap since their last purchase is well beyond
their own usual interval between purchases. Pure: the adapter hands over each member's
purchase days (a merged member's in its survivor's; merged members and those who refused
profiling left out), the store of their latest purchase and the days of their returns.

- **History**: at least `MIN_PURCHASE_DAYS` distinct days with a purchase by the report's
  day; fewer and the member has no usual interval: not assessed at all.
- **Usual interval**: the median of the gaps in days between consecutive purchase days
  (rounded down), at least `MIN_USUAL_DAYS` (three days in a row are no habit of daily
  shopping whose two days' pause would be a risk).
- **At risk**: the gap from the last purchase day to the report's day is more than
  `GAP_FACTOR` times the usual interval.
- **Score** (50 to 100): `100 x (1 - usual / gap)` rounded down (a gap of twice the usual
  is 50, four times 75), plus `REASON_POINTS` for each further reason, at most 100.
- **Reasons**: always `beyond_usual_interval`; `lapsed_90_days` when the gap is 90 days or
  more; `slowing_down` when the last interval between two purchases was already more than
  `SLOWING_FACTOR` times the usual; `returned_last_purchase` when a return came on or
  after the last purchase day.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from statistics import median

MIN_PURCHASE_DAYS = 3
MIN_USUAL_DAYS = 7
GAP_FACTOR = 2
SLOWING_FACTOR = 1.5
LAPSED_DAYS = 90
REASON_POINTS = 10
MAX_SCORE = 100

BEYOND_USUAL = "beyond_usual_interval"
LAPSED = "lapsed_90_days"
SLOWING = "slowing_down"
RETURNED = "returned_last_purchase"
REASONS = (BEYOND_USUAL, LAPSED, SLOWING, RETURNED)


@dataclass(frozen=True)
class ChurnMember:
    member_id: str
    tier: str
    erased: bool
    purchase_days: tuple[str, ...]
    # The store of the latest purchase (the first by id when several bought that day).
    last_store: str = ""
    return_days: tuple[str, ...] = ()


@dataclass(frozen=True)
class AtRisk:
    # "" for an erased member: counted, never identifiable.
    member_id: str
    tier: str
    store_id: str
    last_purchase: str
    gap_days: int
    usual_days: int
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ChurnRisk:
    as_of: str
    # Members with enough history to have a usual interval.
    assessed: int
    at_risk: list[AtRisk]  # highest score first, then by member id
    by_tier: dict[str, int]
    by_store: dict[str, int]
    erased: int


def _intervals(days: list[date]) -> list[int]:
    return [(later - earlier).days for earlier, later in pairwise(days)]


def assess(member: ChurnMember, as_of: str) -> AtRisk | None:
    """The member's risk on `as_of`, or None: too little history, or not at risk."""
    last_day = date.fromisoformat(as_of)
    days = sorted({date.fromisoformat(d) for d in member.purchase_days if d <= as_of})
    if len(days) < MIN_PURCHASE_DAYS:
        return None
    intervals = _intervals(days)
    usual = max(MIN_USUAL_DAYS, int(median(intervals)))
    gap = (last_day - days[-1]).days
    if gap <= GAP_FACTOR * usual:
        return None
    reasons = [BEYOND_USUAL]
    if gap >= LAPSED_DAYS:
        reasons.append(LAPSED)
    if intervals[-1] > SLOWING_FACTOR * usual:
        reasons.append(SLOWING)
    last = days[-1].isoformat()
    if any(last <= d <= as_of for d in member.return_days):
        reasons.append(RETURNED)
    score = min(MAX_SCORE, 100 * (gap - usual) // gap + REASON_POINTS * (len(reasons) - 1))
    return AtRisk(
        "" if member.erased else member.member_id,
        member.tier,
        member.last_store,
        last,
        gap,
        usual,
        score,
        tuple(reasons),
    )


def has_history(member: ChurnMember, as_of: str) -> bool:
    return len({d for d in member.purchase_days if d <= as_of}) >= MIN_PURCHASE_DAYS


def churn_risk(
    members: Iterable[ChurnMember], as_of: str, tier: str = "", store_ids: Iterable[str] = ()
) -> ChurnRisk:
    """Every member with enough history assessed; with `tier` or `store_ids`, only the
    members in that tier or whose latest purchase was at one of those stores."""
    stores = set(store_ids)
    assessed = 0
    risks: list[AtRisk] = []
    for member in members:
        if (tier and member.tier != tier) or (stores and member.last_store not in stores):
            continue
        if not has_history(member, as_of):
            continue
        assessed += 1
        risk = assess(member, as_of)
        if risk is not None:
            risks.append(risk)
    return risk_report(as_of, assessed, risks)


def risk_report(as_of: str, assessed: int, risks: list[AtRisk]) -> ChurnRisk:
    """The members at risk, highest score first, with their counts by tier and store."""
    risks.sort(key=lambda r: (-r.score, r.member_id == "", r.member_id, r.last_purchase))
    return ChurnRisk(
        as_of,
        assessed,
        risks,
        dict(sorted(Counter(r.tier for r in risks).items())),
        dict(sorted(Counter(r.store_id for r in risks).items())),
        sum(1 for r in risks if not r.member_id),
    )
