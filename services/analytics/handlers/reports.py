"""The reports: buckets summed over a scope, and the arithmetic of domain/reports.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from services.analytics.domain.activity import ACTIVE_WINDOWS, active_from, counter, place, spans
from services.analytics.domain.buckets import ACTIVE_LEVELS, SET_LEVELS, Kind
from services.analytics.domain.cohorts import triangle
from services.analytics.domain.days import day_range, days_before, local_day
from services.analytics.domain.liability import before_cut, expiring, expiry_windows
from services.analytics.domain.ports import Reports, Row, Scope, Settings, TimeZones, Totals
from services.analytics.domain.reports import (
    BREAKAGE_WINDOWS,
    EXPIRY_WINDOWS,
    TierDay,
    active_members,
    issued_and_expired,
    parse_point_value,
    roll_up,
    tier_series,
)
from services.analytics.domain.retention import Cohort
from services.analytics.domain.rfm import RfmCell, grid
from services.analytics.domain.store_sets import active_at_any

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
    active = await active_members_on(scope, reports)
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


async def active_members_on(scope: Scope, reports: Reports) -> dict[int, int]:
    """Members who bought in each window ending with the scope's last day, at its stores
    and channel: summed from the maintained differences (a few dozen buckets); a scope of
    several stores, whose counts do not add up (a member may have bought at two of
    them), from the members kept in each set of stores."""
    if len(scope.store_ids) > 1:
        return await active_at_stores(scope, reports)
    where = place(scope.store_ids[0] if scope.store_ids else "", scope.channel)
    names = [counter(window, where) for window in ACTIVE_WINDOWS]
    totals = dict.fromkeys(names, 0)
    for span in spans(scope.to_day):
        kind = ACTIVE_LEVELS[span.level]
        sums = await reports.counters(
            scope.tenant_id, kind, names, from_day=span.from_day, to_day=span.to_day
        )
        totals = {name: totals[name] + sums[name] for name in names}
    return active_from(totals, where, ACTIVE_WINDOWS)


async def active_at_stores(scope: Scope, reports: Reports) -> dict[int, int]:
    """Members who bought at any of the scope's stores (by its channel) in each window:
    the members in each set of stores on the scope's last day, summed from their
    differences like `active_members_on`'s, and the sets meeting the stores added up."""
    sums: dict[tuple[str, str], dict[str, int]] = {}
    for span in spans(scope.to_day):
        everywhere = Scope(scope.tenant_id, span.from_day, span.to_day)
        rows = await reports.sums(
            everywhere,
            SET_LEVELS[span.level],
            ("channel", "stores"),
            from_day=span.from_day,
            to_day=span.to_day,
        )
        for keys, counts in rows:
            into = sums.setdefault((keys["channel"], keys["stores"]), {})
            for name, n in counts.items():
                into[name] = into.get(name, 0) + n
    return active_at_any(sums, scope.store_ids, scope.channel, ACTIVE_WINDOWS)


async def active_members_read(scope: Scope, reports: Reports) -> dict[int, int]:
    """The same counts from each member's last purchase day in the longest window: the
    plain computation (one member document per buyer), which tests hold the maintained
    counts equal to."""
    longest = days_before(scope.to_day, max(ACTIVE_WINDOWS))
    last_days = await reports.last_purchases(scope, longest, scope.to_day)
    return active_members(last_days, scope.to_day, ACTIVE_WINDOWS)


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
    totals = await reports.wallet_totals(tenant_id)
    expiring = await expiring_soon(tenant_id, as_of, reports)
    day = local_day(as_of, await zones.time_zone(tenant_id))
    scope = Scope(tenant_id, day, day)
    longest = days_before(day, max(BREAKAGE_WINDOWS) - 1)
    points = await reports.sums(scope, Kind.POINTS, ("day",), from_day=longest, to_day=day)
    breakage = issued_and_expired(points, day, BREAKAGE_WINDOWS)
    return Liability(totals, await reports.settings(tenant_id), day, expiring, breakage)


async def expiring_soon(tenant_id: str, as_of: datetime, reports: Reports) -> dict[int, int]:
    """The points of the kept lots expiring after `as_of` and within each expiry window:
    the days' documents of the windows, the partial days' minutes, and the instants of
    a partial day's cut minute when that minute holds any (domain/liability.py)."""
    reads = expiry_windows(as_of, EXPIRY_WINDOWS)
    parts = reads.partial_days()
    by_day = await reports.expiring_by_day(tenant_id, *reads.days())
    minutes = await reports.expiring_by_minute(tenant_id, [part.day for part in parts])
    before: dict[str, int] = {}
    for part in parts:
        in_day = minutes.get(part.day, {})
        held = in_day.get(part.minute, 0)
        instants = await reports.expiring_between(tenant_id, part.start, part.end) if held else 0
        before[part.day] = before_cut(part, in_day, instants)
    return expiring(reads, by_day, before)


@dataclass(frozen=True)
class Sales:
    total: dict[str, int]
    by_store: list[Row]
    by_channel: list[Row]
    by_category: list[Row]
    by_sku: list[Row]
    by_tier: list[Row]


async def sales(scope: Scope, reports: Reports) -> Sales:
    """Two reads, each bucket once: the orders by store, channel and tier and the lines by
    category and SKU, rolled up here into the totals and the other groupings."""
    day_range(scope.from_day, scope.to_day)  # a range that is none is refused before any read
    span = {"from_day": scope.from_day, "to_day": scope.to_day}
    orders = await reports.sums(scope, Kind.ORDERS, ("store_id", "channel", "tier"), **span)
    lines = await reports.sums(scope, Kind.LINES, ("category", "sku"), **span)
    total_orders = roll_up(orders, ())
    total_lines = roll_up(lines, ())
    total = dict(total_orders[0][1]) if total_orders else {"orders": 0, "gross": 0, "returned": 0}
    line_counts = total_lines[0][1] if total_lines else {}
    total["quantity"] = line_counts.get("quantity", 0)
    total["returned_quantity"] = line_counts.get("returned_quantity", 0)
    return Sales(
        total,
        roll_up(orders, ("store_id",)),
        roll_up(orders, ("channel",)),
        roll_up(lines, ("category",)),
        lines,
        roll_up(orders, ("tier",)),
    )


async def cohorts(scope: Scope, reports: Reports) -> list[Cohort]:
    """The retention triangle of the members who enrolled in the scope's days."""
    day_range(scope.from_day, scope.to_day)  # a range that is none is refused before any read
    kept = await reports.cohort_counts(scope.tenant_id, scope.from_day, scope.to_day)
    return triangle(kept, scope.from_day, scope.to_day)


async def rfm_grid(scope: Scope, reports: Reports) -> list[RfmCell]:
    """The RFM grid of the members who bought in the scope's days."""
    day_range(scope.from_day, scope.to_day)
    placed = await reports.rfm_columns(scope.tenant_id, scope.from_day, scope.to_day)
    return grid(placed.orders, placed.net, placed.last_days, scope.to_day)


async def put_settings(tenant_id: str, settings: Settings, reports: Reports) -> Settings:
    parse_point_value(settings.point_value)
    await reports.put_settings(tenant_id, settings)
    return await reports.settings(tenant_id)
