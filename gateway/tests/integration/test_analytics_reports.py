"""The analytics routes against a stand-in analytics service: what they ask it, JSON and
CSV answers, a store manager's stores, and the service's refusals."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from gateway.tests.integration.support import (
    Gateway,
    SettingsFactory,
    new_tenant,
    running_gateway,
    serving_analytics,
)
from libs.errors import DomainError, InvalidArgument, Status
from loyalty.analytics.v1 import analytics_pb2 as pb
from loyalty.analytics.v1 import analytics_pb2_grpc, churn_pb2


class Rebuilding(DomainError):
    """What the analytics service answers while its read model is rebuilt."""

    status = Status.UNAVAILABLE
    code = "analytics_rebuilding"


@dataclass
class FakeAnalytics(analytics_pb2_grpc.AnalyticsServiceServicer):
    scopes: list[pb.ReportScope] = field(default_factory=list)

    async def GetProgrammeOverview(  # noqa: N802
        self, request: pb.GetProgrammeOverviewRequest, context: Any
    ) -> pb.GetProgrammeOverviewResponse:
        self.scopes.append(request.scope)
        return pb.GetProgrammeOverviewResponse(
            enrolments=[
                pb.EnrolmentCount(day="2026-11-10", channel="pos", store_id="S1", members=2)
            ],
            points=[pb.PointsDay(day="2026-11-10", issued=180, reversed=40)],
            active=pb.ActiveMembers(as_of_day=request.scope.to_day, last_30_days=2),
        )

    async def GetSalesReport(  # noqa: N802
        self, request: pb.GetSalesReportRequest, context: Any
    ) -> pb.GetSalesReportResponse:
        self.scopes.append(request.scope)
        raise InvalidArgument("to is before from", code="invalid_range")

    async def GetRetention(  # noqa: N802
        self, request: pb.GetRetentionRequest, context: Any
    ) -> pb.GetRetentionResponse:
        self.scopes.append(request.scope)
        first = [
            pb.CohortMonth(month="2026-10", months_after=0, buyers=3, rate="0.7500"),
            pb.CohortMonth(month="2026-11", months_after=1, buyers=1, rate="0.2500"),
        ]
        empty = [pb.CohortMonth(month="2026-11", months_after=0, buyers=0, rate="")]
        return pb.GetRetentionResponse(
            cohorts=[
                pb.Cohort(month="2026-10", members=4, months=first),
                pb.Cohort(month="2026-11", members=0, months=empty),
            ]
        )

    async def GetRfm(  # noqa: N802
        self, request: pb.GetRfmRequest, context: Any
    ) -> pb.GetRfmResponse:
        self.scopes.append(request.scope)
        return pb.GetRfmResponse(
            cells=[
                pb.RfmCell(recency=5, frequency=2, monetary=3, members=2, net="700.00"),
                pb.RfmCell(recency=1, frequency=1, monetary=1, members=1, net="20.00"),
            ]
        )

    async def GetChurnRisk(  # noqa: N802
        self, request: churn_pb2.GetChurnRiskRequest, context: Any
    ) -> churn_pb2.GetChurnRiskResponse:
        raise Rebuilding("the analytics read model is being rebuilt")

    async def GetPointsLiability(  # noqa: N802
        self, request: pb.GetPointsLiabilityRequest, context: Any
    ) -> pb.GetPointsLiabilityResponse:
        return pb.GetPointsLiabilityResponse(
            available=130,
            outstanding=130,
            as_of_day="2026-11-11",
            breakage=[pb.Breakage(days=30, issued=180, expired=10, rate="0.0556")],
        )


@pytest.fixture
async def fake_analytics() -> AsyncIterator[tuple[FakeAnalytics, str]]:
    fake = FakeAnalytics()  # type: ignore[abstract]  # answers only the reports
    async with serving_analytics(fake) as address:
        yield fake, address


@pytest.fixture
async def reporting(
    make_settings: SettingsFactory, fake_analytics: tuple[FakeAnalytics, str]
) -> AsyncIterator[tuple[Gateway, FakeAnalytics]]:
    fake, address = fake_analytics
    async with running_gateway(make_settings(analytics_addr=address)) as running:
        yield running, fake


async def operator(gateway: Gateway, tenant: str, role: str, store: str | None = None) -> Any:
    issued = await gateway.container.keys.create_key(tenant, "operator", store_id=store, role=role)
    return {"Authorization": f"Bearer {issued.secret}"}


async def test_the_overview_asks_for_the_tenant_and_the_days_and_answers_its_figures(
    reporting: tuple[Gateway, FakeAnalytics],
) -> None:
    gateway, fake = reporting
    tenant = new_tenant()
    headers = await operator(gateway, tenant, "analyst")

    response = await gateway.client.get(
        "/v1/admin/analytics/overview",
        params={"from": "2026-11-01", "to": "2026-11-30", "channel": "pos"},
        headers=headers,
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["range"] == {"from": "2026-11-01", "to": "2026-11-30"}
    assert body["enrolments"] == [
        {"day": "2026-11-10", "channel": "pos", "store_id": "S1", "members": 2}
    ]
    assert body["active_members"]["last_30_days"] == 2
    (asked,) = fake.scopes
    assert (asked.tenant_id, asked.from_day, asked.to_day, asked.channel) == (
        tenant,
        "2026-11-01",
        "2026-11-30",
        "pos",
    )
    assert list(asked.store_ids) == []


async def test_a_report_is_csv_by_query_or_by_accept_header(
    reporting: tuple[Gateway, FakeAnalytics],
) -> None:
    gateway, _ = reporting
    headers = await operator(gateway, new_tenant(), "marketer")
    path = "/v1/admin/analytics/overview"

    by_query = await gateway.client.get(path, params={"format": "csv"}, headers=headers)
    by_accept = await gateway.client.get(path, headers={**headers, "Accept": "text/csv"})

    for response in (by_query, by_accept):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/csv")
        assert "attachment" in response.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(response.text)))
        issued = [r for r in rows if r["section"] == "points" and r["measure"] == "issued"]
        assert [(r["day"], r["value"]) for r in issued] == [("2026-11-10", "180")]


async def test_the_liability_answers_its_breakage_and_no_value_without_a_point_value(
    reporting: tuple[Gateway, FakeAnalytics],
) -> None:
    gateway, _ = reporting
    headers = await operator(gateway, new_tenant(), "auditor")

    response = await gateway.client.get("/v1/admin/analytics/liability", headers=headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["outstanding"], body["outstanding_value"], body["point_value"]) == (
        130,
        None,
        None,
    )
    assert body["breakage"] == [{"days": 30, "issued": 180, "expired": 10, "rate": "0.0556"}]


async def test_a_store_manager_reads_their_own_stores_only(
    reporting: tuple[Gateway, FakeAnalytics],
) -> None:
    gateway, fake = reporting
    tenant = new_tenant()
    manager = await operator(gateway, tenant, "store_manager", store="S1")
    path = "/v1/admin/analytics/overview"

    theirs = await gateway.client.get(path, headers=manager)
    another = await gateway.client.get(path, params={"store_id": "S2"}, headers=manager)
    liability = await gateway.client.get("/v1/admin/analytics/liability", headers=manager)

    assert theirs.status_code == 200, theirs.text
    assert [list(s.store_ids) for s in fake.scopes] == [["S1"]]
    assert (another.status_code, another.json()["code"]) == (403, "forbidden")
    assert liability.status_code == 403


async def test_the_retention_triangle_answers_its_cohorts_as_json_and_csv(
    reporting: tuple[Gateway, FakeAnalytics],
) -> None:
    gateway, fake = reporting
    tenant = new_tenant()
    headers = await operator(gateway, tenant, "marketer")
    path = "/v1/admin/analytics/retention"
    days = {"from": "2026-10-01", "to": "2026-11-30"}

    response = await gateway.client.get(path, params=days, headers=headers)
    as_csv = await gateway.client.get(path, params={**days, "format": "csv"}, headers=headers)

    assert response.status_code == 200, response.text
    first, empty = response.json()["cohorts"]
    assert (first["cohort"], first["members"]) == ("2026-10", 4)
    assert first["months"][1] == {
        "month": "2026-11",
        "months_after": 1,
        "buyers": 1,
        "rate": "0.2500",
    }
    assert empty["months"] == [{"month": "2026-11", "months_after": 0, "buyers": 0, "rate": None}]
    asked = fake.scopes[0]  # the JSON's; the CSV's asks the same
    assert (asked.tenant_id, asked.from_day, asked.to_day) == (tenant, "2026-10-01", "2026-11-30")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    rates = [(r["cohort"], r["month"], r["value"]) for r in rows if r["measure"] == "rate"]
    assert rates == [
        ("2026-10", "2026-10", "0.7500"),
        ("2026-10", "2026-11", "0.2500"),
        ("2026-11", "2026-11", ""),
    ]


async def test_the_rfm_grid_answers_its_cells_as_json_and_csv(
    reporting: tuple[Gateway, FakeAnalytics],
) -> None:
    gateway, _ = reporting
    headers = await operator(gateway, new_tenant(), "analyst")
    path = "/v1/admin/analytics/rfm"

    response = await gateway.client.get(path, headers=headers)
    as_csv = await gateway.client.get(path, params={"format": "csv"}, headers=headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["members"] == 3
    assert body["cells"][0] == {
        "recency": 5,
        "frequency": 2,
        "monetary": 3,
        "members": 2,
        "net": "700.00",
    }
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    nets = [
        (r["recency"], r["frequency"], r["monetary"], r["value"])
        for r in rows
        if r["section"] == "cells" and r["measure"] == "net"
    ]
    assert nets == [("5", "2", "3", "700.00"), ("1", "1", "1", "20.00")]


@pytest.mark.parametrize("report", ["retention", "rfm"])
@pytest.mark.parametrize("role", ["store_manager", "auditor", "support"])
async def test_the_profiling_reports_are_not_for_stores_finance_or_support(
    reporting: tuple[Gateway, FakeAnalytics], role: str, report: str
) -> None:
    gateway, fake = reporting
    headers = await operator(gateway, new_tenant(), role, "S1" if role == "store_manager" else None)

    response = await gateway.client.get(f"/v1/admin/analytics/{report}", headers=headers)

    assert response.status_code == 403
    assert fake.scopes == []


async def test_a_range_the_service_refuses_is_a_422_with_its_code(
    reporting: tuple[Gateway, FakeAnalytics],
) -> None:
    gateway, _ = reporting
    headers = await operator(gateway, new_tenant(), "admin")

    response = await gateway.client.get(
        "/v1/admin/analytics/sales",
        params={"from": "2026-11-30", "to": "2026-11-01"},
        headers=headers,
    )

    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_range"


async def test_a_day_that_is_no_day_is_refused_before_the_service_is_asked(
    reporting: tuple[Gateway, FakeAnalytics],
) -> None:
    gateway, fake = reporting
    headers = await operator(gateway, new_tenant(), "admin")

    response = await gateway.client.get(
        "/v1/admin/analytics/overview", params={"from": "last week"}, headers=headers
    )

    assert response.status_code == 422, response.text
    assert fake.scopes == []


async def test_a_report_asked_during_a_rebuild_is_a_503_to_retry_with_its_code(
    reporting: tuple[Gateway, FakeAnalytics],
) -> None:
    gateway, _ = reporting
    headers = await operator(gateway, new_tenant(), "admin")

    response = await gateway.client.get("/v1/admin/analytics/churn", headers=headers)

    assert response.status_code == 503, response.text
    assert response.json()["code"] == "analytics_rebuilding"
    assert response.headers["retry-after"]


async def test_without_an_analytics_service_the_reports_answer_503(gateway: Gateway) -> None:
    headers = await operator(gateway, new_tenant(), "admin")

    response = await gateway.client.get("/v1/admin/analytics/overview", headers=headers)

    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
