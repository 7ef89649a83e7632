"""The campaign league table for a range of days (domain/league.py), each campaign with a
holdout and no segment compared with its held-out members over its days in the range."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from services.analytics.domain.buckets import Kind
from services.analytics.domain.days import day_range, local_day
from services.analytics.domain.facts import CampaignInfo
from services.analytics.domain.league import LeagueRow, compare, league
from services.analytics.domain.ports import Reports, Scope, TimeZones
from services.analytics.domain.reports import parse_point_value


def _days(campaign: CampaignInfo, scope: Scope, zone: str) -> tuple[str, str] | None:
    """The campaign's days within the scope's; None when they do not meet."""

    def day(at: datetime | None, default: str) -> str:
        return default if at is None else local_day(at, zone)

    first = max(scope.from_day, day(campaign.starts_at, scope.from_day))
    last = min(scope.to_day, day(campaign.ends_at, scope.to_day))
    return (first, last) if first <= last else None


async def league_table(
    scope: Scope, reports: Reports, zones: TimeZones, sort: str = ""
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
    spends: dict[tuple[str, str], dict[str, int]] = {}
    compared = []
    for row in rows:
        campaign = campaigns.get(row.campaign_id)
        days = None if campaign is None else _days(campaign, scope, zone)
        if campaign is None or days is None or campaign.holdout_percent <= 0 or campaign.segment_id:
            compared.append(row)
            continue
        if days not in spends:
            spends[days] = await reports.member_spend(scope.tenant_id, *days)
        comparison = compare(
            row.campaign_id, campaign.holdout_percent, spends[days], days, row.cost_cents
        )
        compared.append(replace(row, comparison=comparison))
    return compared
