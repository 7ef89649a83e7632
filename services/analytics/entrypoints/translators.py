"""The reports as protobuf, nothing else."""

from __future__ import annotations

from loyalty.analytics.v1 import analytics_pb2 as pb
from services.analytics.domain.ports import Row, Scope, Settings
from services.analytics.domain.reports import (
    average,
    breakage_rate,
    money,
    parse_point_value,
    points_value,
)
from services.analytics.handlers.reports import Liability, Overview, Sales


def scope_of(message: pb.ReportScope, tenant_id: str) -> Scope:
    return Scope(
        tenant_id=tenant_id,
        from_day=message.from_day,
        to_day=message.to_day,
        store_ids=tuple(s for s in message.store_ids if s),
        channel=message.channel,
        tier=message.tier,
    )


def overview_message(report: Overview) -> pb.GetProgrammeOverviewResponse:
    return pb.GetProgrammeOverviewResponse(
        enrolments=[
            pb.EnrolmentCount(
                day=k["day"], channel=k["channel"], store_id=k["store_id"], members=c["members"]
            )
            for k, c in report.enrolments
        ],
        points=[
            pb.PointsDay(
                day=k["day"],
                issued=c["issued"],
                redeemed=c["redeemed"],
                expired=c["expired"],
                reversed=c["reversed"],
            )
            for k, c in report.points
        ],
        active=pb.ActiveMembers(
            as_of_day=report.as_of_day,
            last_30_days=report.active[30],
            last_90_days=report.active[90],
            last_365_days=report.active[365],
        ),
        tiers=[pb.TierCount(day=r.day, tier=r.tier, members=r.members) for r in report.tiers],
    )


def liability_message(report: Liability) -> pb.GetPointsLiabilityResponse:
    totals = report.totals
    outstanding = totals.available + totals.held + totals.pending
    value = parse_point_value(report.settings.point_value)
    return pb.GetPointsLiabilityResponse(
        available=totals.available,
        held=totals.held,
        pending=totals.pending,
        outstanding=outstanding,
        point_value=report.settings.point_value,
        currency=report.settings.currency if value is not None else "",
        outstanding_value=points_value(outstanding, value),
        expiring=[pb.ExpiringWithin(days=n, points=p) for n, p in report.expiring.items()],
        breakage=[
            pb.Breakage(days=n, issued=i, expired=e, rate=breakage_rate(i, e))
            for n, (i, e) in report.breakage.items()
        ],
        as_of_day=report.as_of_day,
        members=totals.members,
    )


def figures(counts: dict[str, int]) -> pb.SalesFigures:
    gross, returned = counts.get("gross", 0), counts.get("returned", 0)
    return pb.SalesFigures(
        orders=counts.get("orders", 0),
        gross=money(gross),
        returned=money(returned),
        net=money(gross - returned),
        quantity=counts.get("quantity", 0),
        returned_quantity=counts.get("returned_quantity", 0),
    )


def _rows(rows: list[Row], *, with_average: bool = False) -> list[pb.SalesRow]:
    out = []
    for keys, counts in rows:
        row = pb.SalesRow(figures=figures(counts), **keys)
        if with_average:
            net = counts.get("gross", 0) - counts.get("returned", 0)
            row.average_order_value = average(net, counts.get("orders", 0))
        out.append(row)
    return out


def sales_message(report: Sales) -> pb.GetSalesReportResponse:
    return pb.GetSalesReportResponse(
        total=figures(report.total),
        by_store=_rows(report.by_store),
        by_channel=_rows(report.by_channel),
        by_category=_rows(report.by_category),
        by_sku=_rows(report.by_sku),
        by_tier=_rows(report.by_tier, with_average=True),
    )


def settings_message(settings: Settings) -> pb.AnalyticsSettings:
    return pb.AnalyticsSettings(point_value=settings.point_value, currency=settings.currency)
