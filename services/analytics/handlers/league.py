"""The campaign league table for a range of days (domain/league.py)."""

from __future__ import annotations

from services.analytics.domain.buckets import Kind
from services.analytics.domain.days import day_range
from services.analytics.domain.league import LeagueRow, league
from services.analytics.domain.ports import Reports, Scope
from services.analytics.domain.reports import parse_point_value


async def league_table(scope: Scope, reports: Reports, sort: str = "") -> list[LeagueRow]:
    day_range(scope.from_day, scope.to_day)  # a range that is none is refused before any read
    span = {"from_day": scope.from_day, "to_day": scope.to_day}
    sums = await reports.sums(scope, Kind.CAMPAIGNS, ("campaign_id",), **span)
    granted = {keys["campaign_id"]: (c["points"], c["grants"]) for keys, c in sums}
    reached = await reports.campaign_reach(scope.tenant_id, scope.from_day, scope.to_day)
    triggers = await reports.campaign_triggers(scope.tenant_id)
    point_value = parse_point_value((await reports.settings(scope.tenant_id)).point_value)
    return league(granted, reached, triggers, point_value, sort or "points")
