"""The analytics service's protobuf answers as JSON schemas, and requests from queries."""

from __future__ import annotations

from gateway.analytics.answers import (
    ActiveMembers,
    AnalyticsSettingsOut,
    BreakageOut,
    Enrolments,
    ExpiringOut,
    LiabilityOut,
    OverviewOut,
    PointsOfADay,
    Range,
    SalesFigures,
    SalesOut,
    SalesRow,
    TierOfADay,
)
from loyalty.analytics.v1 import analytics_pb2 as pb


def scope_message(
    tenant_id: str,
    days: Range,
    stores: list[str],
    channel: str | None,
    tier: str | None,
) -> pb.ReportScope:
    return pb.ReportScope(
        tenant_id=tenant_id,
        from_day=days.from_day,
        to_day=days.to_day,
        store_ids=stores,
        channel=channel or "",
        tier=tier or "",
    )


def overview_out(days: Range, answer: pb.GetProgrammeOverviewResponse) -> OverviewOut:
    active = answer.active
    return OverviewOut(
        range=days,
        enrolments=[
            Enrolments(day=e.day, channel=e.channel, store_id=e.store_id, members=e.members)
            for e in answer.enrolments
        ],
        points=[
            PointsOfADay(
                day=p.day,
                issued=p.issued,
                redeemed=p.redeemed,
                expired=p.expired,
                reversed=p.reversed,
            )
            for p in answer.points
        ],
        active_members=ActiveMembers(
            as_of=active.as_of_day,
            last_30_days=active.last_30_days,
            last_90_days=active.last_90_days,
            last_365_days=active.last_365_days,
        ),
        tiers=[TierOfADay(day=t.day, tier=t.tier, members=t.members) for t in answer.tiers],
    )


def liability_out(answer: pb.GetPointsLiabilityResponse) -> LiabilityOut:
    return LiabilityOut(
        as_of=answer.as_of_day,
        available=answer.available,
        held=answer.held,
        pending=answer.pending,
        outstanding=answer.outstanding,
        point_value=answer.point_value or None,
        currency=answer.currency or None,
        outstanding_value=answer.outstanding_value or None,
        expiring=[ExpiringOut(days=e.days, points=e.points) for e in answer.expiring],
        breakage=[
            BreakageOut(days=b.days, issued=b.issued, expired=b.expired, rate=b.rate or None)
            for b in answer.breakage
        ],
        members=answer.members,
    )


def _figures(f: pb.SalesFigures) -> SalesFigures:
    return SalesFigures(
        orders=f.orders,
        gross=f.gross,
        returned=f.returned,
        net=f.net,
        quantity=f.quantity,
        returned_quantity=f.returned_quantity,
    )


def _rows(rows: list[pb.SalesRow], *keys: str, orders: bool = True) -> list[SalesRow]:
    out = []
    for row in rows:
        f = row.figures
        named = {key: getattr(row, key) for key in keys}
        out.append(
            SalesRow(
                **named,
                orders=f.orders if orders else None,
                gross=f.gross,
                returned=f.returned,
                net=f.net,
                quantity=f.quantity,
                returned_quantity=f.returned_quantity,
                average_order_value=row.average_order_value or None,
            )
        )
    return out


def sales_out(days: Range, currency: str | None, answer: pb.GetSalesReportResponse) -> SalesOut:
    return SalesOut(
        range=days,
        currency=currency,
        total=_figures(answer.total),
        by_store=_rows(list(answer.by_store), "store_id"),
        by_channel=_rows(list(answer.by_channel), "channel"),
        by_category=_rows(list(answer.by_category), "category", orders=False),
        by_sku=_rows(list(answer.by_sku), "category", "sku", orders=False),
        by_tier=_rows(list(answer.by_tier), "tier"),
    )


def settings_out(settings: pb.AnalyticsSettings) -> AnalyticsSettingsOut:
    return AnalyticsSettingsOut(
        point_value=settings.point_value, currency=settings.currency or None
    )
