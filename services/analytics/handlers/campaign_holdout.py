"""One campaign's audience against its holdout over its window, for the campaign's own
results (domain/campaign_holdout.py): every enrolled member, or the segment's members as
the campaign service holds them (merged members in their survivor, as the league table
counts them), their orders and spend read from the member pages, once the read model has
caught up with the stream. It reads what the league table reads (the pages' enrolled
members and sums by month, each campaign's holdout buckets kept in memory), so it costs
about what a league row costs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from libs.errors import InvalidArgument
from libs.logging import get_logger
from services.analytics.domain.campaign_days import (
    HELD_OUT,
    TARGETED,
    HoldoutDay,
    holdout_days,
)
from services.analytics.domain.campaign_holdout import (
    CampaignHoldout,
    compare_kept,
    window_days,
)
from services.analytics.domain.league import SEGMENT_UNAVAILABLE, held_out_of, segment_audience
from services.analytics.domain.ports import (
    Freshness,
    Reports,
    SegmentAudience,
    SegmentMembers,
    SegmentsUnavailable,
    TimeZones,
)

log = get_logger(__name__)


@dataclass(frozen=True)
class HoldoutQuery:
    tenant_id: str
    campaign_id: str
    holdout_percent: int
    segment_id: str  # "": every enrolled member
    starts_at: datetime
    ends_at: datetime
    by_day: bool = False  # also each day's groups and uplift (the results day by day)


@dataclass(frozen=True)
class HoldoutAnswer:
    comparison: CampaignHoldout | None
    # Why there is none: SEGMENT_UNAVAILABLE, ANALYTICS_BEHIND or ANALYTICS_REBUILDING;
    # "" when there is one.
    unavailable: str = ""
    days: list[HoldoutDay] = field(default_factory=list)  # with `by_day`


def _checked(query: HoldoutQuery) -> None:
    if not query.campaign_id:
        raise InvalidArgument("campaign_id: required")
    lowest = 0 if query.by_day else 1  # day by day, a campaign holding nobody out too
    if not lowest <= query.holdout_percent <= 100:
        raise InvalidArgument(f"holdout_percent: from {lowest} to 100")


async def campaign_holdout(
    query: HoldoutQuery,
    reports: Reports,
    zones: TimeZones,
    segments: SegmentMembers,
    freshness: Freshness,
) -> HoldoutAnswer:
    """No figure rather than one that misses events: while the read model has not applied
    what the stream held when asked (or is being rebuilt), the answer says so."""
    _checked(query)
    tenant_id = query.tenant_id
    behind = await freshness.behind()
    if behind:
        log.warning("campaign_holdout_behind", tenant_id=tenant_id, reason=behind)
        return HoldoutAnswer(None, behind)
    segment: SegmentAudience | None = None
    if query.segment_id:
        try:
            segment = await segments.audience(tenant_id, query.segment_id)
        except SegmentsUnavailable:
            log.warning(
                "campaign_holdout_segment_unavailable",
                tenant_id=tenant_id,
                campaign_id=query.campaign_id,
                segment_id=query.segment_id,
            )
            return HoldoutAnswer(None, SEGMENT_UNAVAILABLE)
    days = window_days(query.starts_at, query.ends_at, await zones.time_zone(tenant_id))
    if query.by_day:
        return await _by_day(query, days, segment, reports)
    kept = await reports.member_orders_and_spend(tenant_id, *days)
    members = list(kept.spend) if segment is None else await _segment(segment, tenant_id, reports)
    buckets = reports.holdout_buckets(query.campaign_id, members)
    return HoldoutAnswer(compare_kept(members, buckets, query.holdout_percent, kept, days))


async def _segment(segment: SegmentAudience, tenant_id: str, reports: Reports) -> list[str]:
    marks = await reports.member_marks(tenant_id)
    return list(
        segment_audience(segment.member_ids, marks.merged_into, marks.refusing, segment.profiling)
    )


async def _by_day(
    query: HoldoutQuery, days: tuple[str, str], segment: SegmentAudience | None, reports: Reports
) -> HoldoutAnswer:
    """The comparison and its days from one read of the members' sums per day."""
    tenant_id = query.tenant_id
    found = await reports.member_days(tenant_id, *days)
    members = found.members if segment is None else await _segment(segment, tenant_id, reports)
    buckets = reports.holdout_buckets(query.campaign_id, members)
    held = set(held_out_of(members, buckets, query.holdout_percent))
    sizes = (len(members) - len(held), len(held))
    enrolled = set(found.members)
    groups = {m: HELD_OUT if m in held else TARGETED for m in members if m in enrolled}
    whole, each_day = holdout_days(days, groups, sizes, found.rows)
    return HoldoutAnswer(whole, days=each_day)
