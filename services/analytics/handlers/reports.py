"""The reports: buckets summed over a scope, and the arithmetic of domain/reports.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from services.analytics.domain.buckets import Kind
from services.analytics.domain.days import day_range, days_before, local_day
from services.analytics.domain.ports import Reports, Row, Scope, Settings, TimeZones, Totals
from services.analytics.domain.reports import (
    ACTIVE_WINDOWS,
    BREAKAGE_WINDOWS,
    EXPIRY_WINDOWS,
    TierDay,
    expiring_within,
    parse_point_value,
    tier_series,
)

FIRST_DAY = "0001-01-01"


@dataclass(frozen=True)
class Overview:
    enrolments: list[Row]
    points: list[Row]
    active: dict[int, int]
    as_of_day: str
    tiers: list[TierDay]


async def overview(scope: Scope, reports: Reports) -> Overview:
    days = day_range(scope.from_day, scope.to_day)
    span = {"from_day": scope.from_day, "to_day": scope.to_day}
    enrolments = await reports.sums(scope, Kind.ENROLMENTS, ("day", "channel", "store_id"), **span)
    points = await reports.sums(scope, Kind.POINTS, ("day",), **span)
    active = {
        n: await reports.active_members(scope, days_before(scope.to_day, n), scope.to_day)
        for n in ACTIVE_WINDOWS
    }
    before = await reports.sums(
        scope, Kind.TIERS, ("tier",), from_day=FIRST_DAY, to_day=days_before(scope.from_day, 1)
    )
    moves = await reports.sums(scope, Kind.TIERS, ("day", "tier"), **span)
    series = tier_series(
        days,
        {keys["tier"]: counts["members"] for keys, counts in before},
        {(keys["day"], keys["tier"]): counts["members"] for keys, counts in moves},
    )
    if scope.tier:
        series = [row for row in series if row.tier == scope.tier]
    return Overview(enrolments, points, active, scope.to_day, series)


@dataclass(frozen=True)
class Liability:
    totals: Totals
    settings: Settings
    as_of_day: str
    expiring: dict[int, int]
    # window -> (issued, expired)
    breakage: dict[int, tuple[int, int]] = field(default_factory=dict)


async def liability(
    tenant_id: str, as_of: datetime, reports: Reports, zones: TimeZones
) -> Liability:
    totals = await reports.wallets(tenant_id)
    lots = await reports.lots(tenant_id, as_of, as_of + timedelta(days=max(EXPIRY_WINDOWS)))
    expiring = {n: expiring_within(lots, as_of, n) for n in EXPIRY_WINDOWS}
    day = local_day(as_of, await zones.time_zone(tenant_id))
    scope = Scope(tenant_id, day, day)
    breakage: dict[int, tuple[int, int]] = {}
    for n in BREAKAGE_WINDOWS:
        rows = await reports.sums(
            scope, Kind.POINTS, (), from_day=days_before(day, n - 1), to_day=day
        )
        counts = rows[0][1] if rows else {}
        breakage[n] = (counts.get("issued", 0), counts.get("expired", 0))
    return Liability(totals, await reports.settings(tenant_id), day, expiring, breakage)


@dataclass(frozen=True)
class Sales:
    total: dict[str, int]
    by_store: list[Row]
    by_channel: list[Row]
    by_category: list[Row]
    by_sku: list[Row]
    by_tier: list[Row]


async def sales(scope: Scope, reports: Reports) -> Sales:
    day_range(scope.from_day, scope.to_day)  # a range that is none is refused before any read
    span = {"from_day": scope.from_day, "to_day": scope.to_day}

    async def orders(*by: str) -> list[Row]:
        return await reports.sums(scope, Kind.ORDERS, by, **span)

    async def lines(*by: str) -> list[Row]:
        return await reports.sums(scope, Kind.LINES, by, **span)

    total_orders = await orders()
    total_lines = await lines()
    total = dict(total_orders[0][1]) if total_orders else {"orders": 0, "gross": 0, "returned": 0}
    line_counts = total_lines[0][1] if total_lines else {}
    total["quantity"] = line_counts.get("quantity", 0)
    total["returned_quantity"] = line_counts.get("returned_quantity", 0)
    return Sales(
        total,
        await orders("store_id"),
        await orders("channel"),
        await lines("category"),
        await lines("category", "sku"),
        await orders("tier"),
    )


async def put_settings(tenant_id: str, settings: Settings, reports: Reports) -> Settings:
    parse_point_value(settings.point_value)
    await reports.put_settings(tenant_id, settings)
    return await reports.settings(tenant_id)
