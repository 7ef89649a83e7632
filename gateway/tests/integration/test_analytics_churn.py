"""The churn route against a stand-in analytics service: what it asks, its JSON and CSV,
an erased member without an id, paging, and who may read it."""

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
from gateway.tests.integration.test_analytics_reports import operator
from loyalty.analytics.v1 import analytics_pb2_grpc
from loyalty.analytics.v1 import churn_pb2 as pb


@dataclass
class FakeChurn(analytics_pb2_grpc.AnalyticsServiceServicer):
    asked: list[pb.GetChurnRiskRequest] = field(default_factory=list)

    async def GetChurnRisk(  # noqa: N802
        self, request: pb.GetChurnRiskRequest, context: Any
    ) -> pb.GetChurnRiskResponse:
        self.asked.append(request)
        reasons = ["beyond_usual_interval", "returned_last_purchase"]
        return pb.GetChurnRiskResponse(
            as_of_day=request.as_of_day,
            assessed=4,
            at_risk=3,
            erased=1,
            by_tier=[pb.RiskCount(key="gold", members=1), pb.RiskCount(key="member", members=2)],
            by_store=[pb.RiskCount(key="S1", members=3)],
            members=[
                pb.MemberAtRisk(
                    member_id="m1",
                    tier="member",
                    store_id="S1",
                    last_purchase_day="2026-03-21",
                    gap_days=40,
                    usual_interval_days=10,
                    score=85,
                    reasons=reasons,
                ),
                pb.MemberAtRisk(tier="gold", store_id="S1", score=85, reasons=reasons[:1]),
            ],
            next_page_token="2",
            win_back=[pb.WinBack(campaign_id="back", rewarded=3, won_back=2, waiting=1)],
            win_back_days=request.win_back_days,
        )


@pytest.fixture
async def churning(make_settings: SettingsFactory) -> AsyncIterator[tuple[Gateway, FakeChurn]]:
    fake = FakeChurn()  # type: ignore[abstract]  # answers churn only
    async with (
        serving_analytics(fake) as address,
        running_gateway(make_settings(analytics_addr=address)) as running,
    ):
        yield running, fake


async def test_churn_risk_asks_for_the_day_filters_and_page_and_answers_its_members(
    churning: tuple[Gateway, FakeChurn],
) -> None:
    gateway, fake = churning
    tenant = new_tenant()
    headers = await operator(gateway, tenant, "marketer")
    query = {"to": "2026-04-30", "tier": "gold", "store_id": "S1", "limit": "2", "cursor": "2"}
    query["win_back_days"] = "14"

    response = await gateway.client.get("/v1/admin/analytics/churn", params=query, headers=headers)

    assert response.status_code == 200, response.text
    asked = fake.asked[0]
    assert (asked.tenant_id, asked.as_of_day, asked.tier, list(asked.store_ids)) == (
        tenant,
        "2026-04-30",
        "gold",
        ["S1"],
    )
    assert (asked.page_size, asked.page_token, asked.win_back_days) == (2, "2", 14)
    body = response.json()
    assert (body["as_of"], body["assessed"], body["at_risk"], body["erased"]) == (
        "2026-04-30",
        4,
        3,
        1,
    )
    assert body["by_tier"] == [{"key": "gold", "members": 1}, {"key": "member", "members": 2}]
    assert body["members"][0]["reasons"] == ["beyond_usual_interval", "returned_last_purchase"]
    assert body["members"][1]["member_id"] is None
    assert body["next_cursor"] == "2"
    assert body["win_back_days"] == 14
    assert body["win_back"] == [{"campaign_id": "back", "rewarded": 3, "won_back": 2, "waiting": 1}]


async def test_churn_risk_as_csv_has_a_row_per_member_figure(
    churning: tuple[Gateway, FakeChurn],
) -> None:
    gateway, _ = churning
    headers = await operator(gateway, new_tenant(), "analyst")

    response = await gateway.client.get(
        "/v1/admin/analytics/churn", params={"format": "csv"}, headers=headers
    )

    assert response.status_code == 200, response.text
    rows = list(csv.DictReader(io.StringIO(response.text)))
    scores = [(r["member_id"], r["value"]) for r in rows if r["measure"] == "score"]
    assert scores == [("m1", "85"), ("", "85")]
    reasons = [r["value"] for r in rows if r["measure"] == "reasons"]
    assert reasons[0] == "beyond_usual_interval returned_last_purchase"
    tiers = [(r["key"], r["value"]) for r in rows if r["section"] == "by_tier"]
    assert tiers == [("gold", "1"), ("member", "2")]
    back = [
        (r["campaign_id"], r["measure"], r["value"]) for r in rows if r["section"] == "win_back"
    ]
    assert ("back", "won_back", "2") in back


@pytest.mark.parametrize("role", ["store_manager", "auditor", "support"])
async def test_churn_risk_is_not_for_stores_finance_or_support(
    churning: tuple[Gateway, FakeChurn], role: str
) -> None:
    gateway, fake = churning
    headers = await operator(gateway, new_tenant(), role, "S1" if role == "store_manager" else None)

    response = await gateway.client.get("/v1/admin/analytics/churn", headers=headers)

    assert response.status_code == 403
    assert fake.asked == []
