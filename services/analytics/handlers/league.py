"""The campaign league table for a range of days (domain/league.py), each campaign with a
holdout compared with its held-out members over its days in the range: every enrolled
member for a campaign without a segment, the segment's members (from the campaign
service) for one with a segment."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from libs.logging import get_logger
from services.analytics.domain.buckets import Kind
from services.analytics.domain.days import day_range, local_day
from services.analytics.domain.facts import CampaignInfo
from services.analytics.domain.league import (
    SEGMENT_UNAVAILABLE,
    LeagueRow,
    compare_moments,
    league,
    segment_audience,
    split_moments,
)
from services.analytics.domain.ports import (
    MemberMarks,
    Reports,
    Scope,
    SegmentMembers,
    SegmentsUnavailable,
    TimeZones,
)
from services.analytics.domain.reports import parse_point_value

log = get_logger(__name__)


def _days(campaign: CampaignInfo, scope: Scope, zone: str) -> tuple[str, str] | None:
    """The campaign's days within the scope's; None when they do not meet."""

    def day(at: datetime | None, default: str) -> str:
        return default if at is None else local_day(at, zone)

    first = max(scope.from_day, day(campaign.starts_at, scope.from_day))
    last = min(scope.to_day, day(campaign.ends_at, scope.to_day))
    return (first, last) if first <= last else None


@dataclass
class _Reads:
    """What the comparisons of one table share: each window's spends read once, the
    merges and refusals read once."""

    scope: Scope
    reports: Reports
    segments: SegmentMembers
    spends: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    marks: MemberMarks | None = None

    async def spend(self, days: tuple[str, str]) -> dict[str, int]:
        if days not in self.spends:
            self.spends[days] = await self.reports.member_spend(self.scope.tenant_id, *days)
        return self.spends[days]

    async def segment(self, segment_id: str) -> list[str]:
        """The segment's members as the comparison counts them; raises
        SegmentsUnavailable."""
        tenant_id = self.scope.tenant_id
        audience = await self.segments.audience(tenant_id, segment_id)
        if self.marks is None:
            self.marks = await self.reports.member_marks(tenant_id)
        members = segment_audience(
            audience.member_ids, self.marks.merged_into, self.marks.refusing, audience.profiling
        )
        return list(members)


async def _compared(
    row: LeagueRow, campaign: CampaignInfo, days: tuple[str, str], reads: _Reads
) -> LeagueRow:
    """Every enrolled member (the spends' members) or the segment's, split by the
    campaign's holdout hash as the read model keeps it."""
    percent = campaign.holdout_percent
    spend = await reads.spend(days)
    if not campaign.segment_id:
        members = list(spend)
    else:
        try:
            members = await reads.segment(campaign.segment_id)
        except SegmentsUnavailable:
            log.warning(
                "league_segment_unavailable",
                tenant_id=reads.scope.tenant_id,
                campaign_id=row.campaign_id,
                segment_id=campaign.segment_id,
            )
            return replace(row, no_comparison=SEGMENT_UNAVAILABLE)
    buckets = reads.reports.holdout_buckets(row.campaign_id, members)
    targeted, out = split_moments(members, buckets, percent, spend)
    comparison = compare_moments(targeted, out, days, row.cost_cents)
    return replace(row, comparison=comparison)


async def league_table(
    scope: Scope, reports: Reports, zones: TimeZones, segments: SegmentMembers, sort: str = ""
) -> list[LeagueRow]:
    day_range(scope.from_day, scope.to_day)  # a range that is none is refused before any read
    span = {"from_day": scope.from_day, "to_day": scope.to_day}
    sums = await reports.sums(scope, Kind.CAMPAIGNS, ("campaign_id",), **span)
    granted = {keys["campaign_id"]: (c["points"], c["grants"]) for keys, c in sums}
    reached = await reports.campaign_reach(scope.tenant_id, scope.from_day, scope.to_day)
    campaigns = await reports.campaigns(scope.tenant_id)
    triggers = {c: info.trigger for c, info in campaigns.items()}
    point_value = parse_point_value((await reports.settings(scope.tenant_id)).point_value)
    rows = league(granted, reached, triggers, point_value, sort or "points")
    zone = await zones.time_zone(scope.tenant_id)
    reads = _Reads(scope, reports, segments)
    compared = []
    for row in rows:
        campaign = campaigns.get(row.campaign_id)
        days = None if campaign is None else _days(campaign, scope, zone)
        if campaign is None or days is None or campaign.holdout_percent <= 0:
            compared.append(row)
            continue
        compared.append(await _compared(row, campaign, days, reads))
    return compared
