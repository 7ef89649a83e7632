"""The campaign league table: per campaign, what it gave in a range of days and what that
cost. Pure: the adapter hands over each campaign's points and grants summed from the daily
buckets, the members it reached (distinct members it rewarded in the range, a merged
member's rewards its survivor's) and the triggers `campaign.changed` told.

- **Reached**: members the campaign rewarded with points in the range (counted once).
- **Points**, **grants**: the points its rewards gave, and how many rewards.
- **Cost**: points x the tenant's point value (`PUT /v1/admin/analytics/settings`), in
  its currency; empty while no point value is set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from libs.errors import InvalidArgument

SORTS = ("points", "reached", "grants", "cost", "campaign_id")


@dataclass(frozen=True)
class LeagueRow:
    campaign_id: str
    trigger: str
    reached: int
    grants: int
    points: int
    cost_cents: int | None  # None: no point value


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
