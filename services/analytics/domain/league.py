"""The campaign league table: per campaign, what it gave in a range of days and what that
cost. Pure: the adapter hands over each campaign's points and grants summed from the daily
buckets, the members it reached (distinct members it rewarded in the range, a merged
member's rewards its survivor's) and the triggers `campaign.changed` told.

- **Reached**: members the campaign rewarded with points in the range (counted once).
- **Points**, **grants**: the points its rewards gave, and how many rewards.
- **Cost**: points x the tenant's point value (`PUT /v1/admin/analytics/settings`), in
  its currency; empty while no point value is set.
- **Against the holdout** (a campaign with a holdout): its audience, every enrolled
  member or, for a campaign for a segment, the segment's members as the campaign service
  holds them (`segment_audience`), split by the campaign's holdout hash
  (`libs/holdout.py`, the campaign service's own), each group's net spend per member over
  the campaign's days within the range (members who bought nothing spent 0), the
  difference with its 95% interval by Welch's t-test (`libs/uplift.py`); incremental
  sales = the difference x the targeted members; cost per incremental unit of sales =
  cost / incremental sales (when both are known and the sales are above 0).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import compress, repeat

from libs.errors import InvalidArgument
from libs.holdout import held_out
from libs.uplift import CENT, Moments, Uplift, welch_from_moments

SORTS = ("points", "reached", "grants", "cost", "campaign_id")
SEGMENT_UNAVAILABLE = "segment_unavailable"
"""Why a campaign for a segment has no comparison: its members could not be had."""


@dataclass(frozen=True)
class LeagueRow:
    campaign_id: str
    trigger: str
    reached: int
    grants: int
    points: int
    cost_cents: int | None  # None: no point value
    comparison: Comparison | None = None
    # Why a campaign with a holdout has no comparison; "" when it has one or needs none.
    no_comparison: str = ""


@dataclass(frozen=True)
class Comparison:
    """Targeted against held-out members of a campaign over its days in the range."""

    from_day: str
    to_day: str
    targeted: int
    held_out: int
    uplift: Uplift | None  # per member; None with fewer than two in a group
    incremental_sales: Decimal | None
    cost_per_incremental: Decimal | None  # cost per unit of incremental sales, 4 places


def survivor(member_id: str, merged_into: Mapping[str, str]) -> str:
    """Who a member is now: the end of its chain of merges (a cycle stops where it began)."""
    seen = {member_id}
    while (into := merged_into.get(member_id)) and into not in seen:
        seen.add(into)
        member_id = into
    return member_id


def segment_audience(
    member_ids: Iterable[str],
    merged_into: Mapping[str, str],
    refusing: frozenset[str],
    profiling: bool,
) -> frozenset[str]:
    """A segment's members as the comparison counts them: a merged member in its survivor
    (once), and for a profiling segment (`profiling_consent`) without those who refused
    profiling, as the read model knows them now."""
    members = {survivor(m, merged_into) for m in member_ids}
    return frozenset(members - refusing if profiling else members)


def audience_spend(audience: Iterable[str], spend: Mapping[str, int]) -> dict[str, int]:
    """Each audience member's net cents; 0 for a member who bought nothing (or whom the
    read model has not seen)."""
    return {m: spend.get(m, 0) for m in audience}


def compare(
    campaign_id: str,
    percent: int,
    spend: Mapping[str, int],
    days: tuple[str, str],
    cost: int | None,
) -> Comparison:
    """`spend`: every audience member's net cents over `days`."""
    targeted: list[int] = []
    out: list[int] = []
    for member_id, cents in spend.items():
        (out if held_out(campaign_id, member_id, percent) else targeted).append(cents)
    return compare_moments(Moments.of(targeted), Moments.of(out), days, cost)


def held_out_of(member_ids: Sequence[str], buckets: bytes, percent: int) -> Iterator[str]:
    """The members the campaign's holdout hash holds out (`buckets`, 0-99 a member in the
    order of `member_ids`: below `percent`), in that order."""
    below = bytes(int(bucket < percent) for bucket in range(256))
    return compress(member_ids, buckets.translate(below))


def split_moments(
    member_ids: Sequence[str], buckets: bytes, percent: int, spend: Mapping[str, int]
) -> tuple[Moments, Moments]:
    """The audience's targeted and held-out members' spends (0 for a member who bought
    nothing), from where the campaign's holdout hash puts each (`buckets`, 0-99 a member
    in the order of `member_ids`): the held-out ones summed, the targeted the rest."""
    out = Moments.of(list(map(spend.get, held_out_of(member_ids, buckets, percent), repeat(0))))
    everyone = Moments.of(list(map(spend.get, member_ids, repeat(0))))
    targeted = Moments(
        everyone.members - out.members, everyone.total - out.total, everyone.squares - out.squares
    )
    return targeted, out


def compare_moments(
    targeted: Moments, out: Moments, days: tuple[str, str], cost: int | None
) -> Comparison:
    """The comparison from each group's spends (`libs/uplift.py` Moments)."""
    uplift = welch_from_moments(targeted, out)
    incremental = None if uplift is None else uplift.difference * targeted.members
    per_unit = None
    if incremental is not None and incremental > 0 and cost is not None:
        per_unit = (Decimal(cost) * CENT / incremental).quantize(Decimal("0.0001"))
    return Comparison(
        days[0], days[1], targeted.members, out.members, uplift, incremental, per_unit
    )


def cost_cents(points: int, point_value: Decimal | None) -> int | None:
    if point_value is None:
        return None
    return int((point_value * points * 100).to_integral_value())


def league(
    granted: Mapping[str, tuple[int, int]],
    reached: Mapping[str, int],
    triggers: Mapping[str, str],
    point_value: Decimal | None,
    sort: str = "points",
) -> list[LeagueRow]:
    """One row per campaign that rewarded anyone in the range (`granted`: points and
    grants by campaign), largest first by `sort` (then by campaign id); `campaign_id`
    sorts by id alone."""
    if sort not in SORTS:
        raise InvalidArgument(f"sort: one of {', '.join(SORTS)}")
    rows = [
        LeagueRow(
            campaign_id,
            triggers.get(campaign_id, ""),
            reached.get(campaign_id, 0),
            grants,
            points,
            cost_cents(points, point_value),
        )
        for campaign_id, (points, grants) in granted.items()
        if grants
    ]
    if sort == "campaign_id":
        return sorted(rows, key=lambda r: r.campaign_id)
    key = "points" if sort == "cost" else sort  # one point value: cost orders as points do
    return sorted(rows, key=lambda r: (-int(getattr(r, key)), r.campaign_id))
