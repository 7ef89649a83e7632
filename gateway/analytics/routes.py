"""`/v1/admin/analytics/...`: the programme overview, the points liability and the sales
report, each as JSON or CSV, and what a point is worth."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from gateway.access.auth import OperatorKey
from gateway.access.store_scope import scoped_to_stores
from gateway.analytics.answers import (
    AnalyticsSettingsOut,
    LiabilityOut,
    OverviewOut,
    Range,
    SalesOut,
)
from gateway.analytics.bodies import (
    AnalyticsSettingsBody,
    ChannelFilter,
    Format,
    FromDay,
    StoreFilter,
    TierFilter,
    ToDay,
)
from gateway.analytics.csv_out import CSV_TYPE, csv_response, wants_csv
from gateway.analytics.translate import (
    liability_out,
    overview_out,
    sales_out,
    scope_message,
    settings_out,
)
from gateway.clients import AppContainer
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.problems import ApiProblem, problem_responses
from gateway.tenancy.keys import ApiKey
from loyalty.analytics.v1 import analytics_pb2 as pb

if TYPE_CHECKING:
    from loyalty.analytics.v1.analytics_pb2_grpc import AnalyticsServiceAsyncStub as AnalyticsStub
else:
    from loyalty.analytics.v1.analytics_pb2_grpc import AnalyticsServiceStub as AnalyticsStub

router = APIRouter(prefix="/v1/admin/analytics", tags=["admin: analytics"])
DEFAULT_DAYS = 30
_CSV = {"content": {CSV_TYPE: {"schema": {"type": "string"}}}}
_READ_PROBLEMS = problem_responses(401, 403, 422, 503, 504)


async def _analytics(container: AppContainer) -> AnalyticsStub:
    if container.analytics is None:
        raise ApiProblem(503, "service_unavailable", "the analytics service is not configured")
    return container.analytics


AnalyticsClient = Annotated[AnalyticsStub, Depends(_analytics)]


async def _tenant_zone(container: AppContainer, tenant_id: str) -> tuple[ZoneInfo, str]:
    tenant = await container.tenants.get(tenant_id)
    try:
        zone = ZoneInfo(tenant.time_zone if tenant and tenant.time_zone else "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return zone, tenant.currency if tenant else ""


def _range(zone: ZoneInfo, from_day: str | None, to_day: str | None) -> Range:
    """The days asked for; by default the 30 days ending today where the tenant is."""
    last = to_day or datetime.now(UTC).astimezone(zone).date().isoformat()
    if from_day is None:
        try:
            first = (datetime.fromisoformat(last) - timedelta(days=DEFAULT_DAYS - 1)).date()
        except ValueError:
            raise ApiProblem(422, "invalid_range", "to: a day, YYYY-MM-DD") from None
        from_day = first.isoformat()
    return Range(from_day=from_day, to_day=last)


def _stores(caller: ApiKey, store_id: str | None) -> list[str]:
    """The stores a report covers: the one asked for, or all; a store manager's own only."""
    if not scoped_to_stores(caller):
        return [store_id] if store_id else []
    mine = sorted(caller.bound_stores)
    if not mine:
        raise ApiProblem(403, "forbidden", "you manage no store")
    if store_id is None:
        return mine
    if store_id not in mine:
        raise ApiProblem(403, "forbidden", "this store is not one you manage")
    return [store_id]


@router.get(
    "/overview",
    response_model=OverviewOut,
    summary="Programme overview: enrolments, points moved, active members, members by tier",
    description=(
        "For each day of the range (the tenant's time zone): enrolments by channel and "
        "store, points issued, redeemed, expired and reversed, and members in each tier at "
        "the day's end; members who bought in the 30, 90 and 365 days ending with `to`. "
        "Filters: `store_id` and `channel` (enrolments, points, active members), `tier` "
        "(members by tier). A store manager sees their own stores only. `format=csv` or "
        "`Accept: text/csv` answers CSV. Definitions: docs/analytics.md."
    ),
    responses={**_READ_PROBLEMS, 200: _CSV},
)
async def programme_overview(
    request: Request,
    caller: OperatorKey,
    *,
    analytics: AnalyticsClient,
    container: AppContainer,
    from_day: FromDay = None,
    to_day: ToDay = None,
    store_id: StoreFilter = None,
    channel: ChannelFilter = None,
    tier: TierFilter = None,
    format_: Format = None,
) -> OverviewOut | Response:
    zone, _ = await _tenant_zone(container, caller.tenant_id)
    days = _range(zone, from_day, to_day)
    scope = scope_message(caller.tenant_id, days, _stores(caller, store_id), channel, tier)
    answer = await analytics.GetProgrammeOverview(pb.GetProgrammeOverviewRequest(scope=scope))
    report = overview_out(days, answer)
    if wants_csv(request, format_):
        return csv_response(report, f"overview-{days.from_day}-{days.to_day}")
    return report


@router.get(
    "/sales",
    response_model=SalesOut,
    summary="Members' sales net of returns by store, channel, category, SKU and tier",
    description=(
        "Orders credited to members and what came back, over the range: a sale counts on "
        "its day at its store, a return on its own day at the store and channel it was made, "
        "under the tier the order was bought in. Average order value is net sales per order, "
        "by tier. Filters: `store_id`, `channel`, `tier`; a store manager sees their own "
        "stores only. `format=csv` or `Accept: text/csv` answers CSV."
    ),
    responses={**_READ_PROBLEMS, 200: _CSV},
)
async def sales_report(
    request: Request,
    caller: OperatorKey,
    *,
    analytics: AnalyticsClient,
    container: AppContainer,
    from_day: FromDay = None,
    to_day: ToDay = None,
    store_id: StoreFilter = None,
    channel: ChannelFilter = None,
    tier: TierFilter = None,
    format_: Format = None,
) -> SalesOut | Response:
    zone, currency = await _tenant_zone(container, caller.tenant_id)
    days = _range(zone, from_day, to_day)
    scope = scope_message(caller.tenant_id, days, _stores(caller, store_id), channel, tier)
    answer = await analytics.GetSalesReport(pb.GetSalesReportRequest(scope=scope))
    report = sales_out(days, currency or None, answer)
    if wants_csv(request, format_):
        return csv_response(report, f"sales-{days.from_day}-{days.to_day}")
    return report


@router.get(
    "/liability",
    response_model=LiabilityOut,
    summary="Points liability: outstanding points, their value, what expires soon, breakage",
    description=(
        "Every wallet's available, held and pending points summed as of now, their value at "
        "the tenant's point value (PUT /v1/admin/analytics/settings), the points of lots "
        "expiring within 30, 60 and 90 days, and breakage (expired ÷ issued) over the "
        "trailing 30, 90 and 365 days. `format=csv` or `Accept: text/csv` answers CSV."
    ),
    responses={**_READ_PROBLEMS, 200: _CSV},
)
async def points_liability(
    request: Request,
    caller: OperatorKey,
    *,
    analytics: AnalyticsClient,
    format_: Format = None,
) -> LiabilityOut | Response:
    answer = await analytics.GetPointsLiability(
        pb.GetPointsLiabilityRequest(tenant_id=caller.tenant_id)
    )
    report = liability_out(answer)
    if wants_csv(request, format_):
        return csv_response(report, f"liability-{report.as_of}")
    return report


@router.get(
    "/settings",
    response_model=AnalyticsSettingsOut,
    summary="What one point is worth in the liability report",
    responses=problem_responses(401, 403, 503, 504),
)
async def get_analytics_settings(
    caller: OperatorKey, *, analytics: AnalyticsClient
) -> AnalyticsSettingsOut:
    answer = await analytics.GetAnalyticsSettings(
        pb.GetAnalyticsSettingsRequest(tenant_id=caller.tenant_id)
    )
    return settings_out(answer.settings)


@router.put(
    "/settings",
    response_model=AnalyticsSettingsOut,
    summary="Set what one point is worth, in the tenant's currency",
    description='The liability report values outstanding points at it; "" unsets it.',
    responses=problem_responses(401, 403, 422, 503, 504),
    openapi_extra=json_body(AnalyticsSettingsBody),
)
async def put_analytics_settings(
    request: Request, caller: OperatorKey, *, analytics: AnalyticsClient, container: AppContainer
) -> AnalyticsSettingsOut:
    body = parse_body(AnalyticsSettingsBody, await read_json(request))
    _, currency = await _tenant_zone(container, caller.tenant_id)
    settings = pb.AnalyticsSettings(point_value=body.point_value, currency=currency)
    answer = await analytics.PutAnalyticsSettings(
        pb.PutAnalyticsSettingsRequest(tenant_id=caller.tenant_id, settings=settings)
    )
    return settings_out(answer.settings)
