"""The league table's route against a stand-in analytics service: what it asks, its JSON
and CSV, and who may read it."""

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
from loyalty.analytics.v1 import league_pb2 as pb


@dataclass
class FakeLeague(analytics_pb2_grpc.AnalyticsServiceServicer):
    asked: list[pb.GetCampaignLeagueRequest] = field(default_factory=list)

    async def GetCampaignLeague(  # noqa: N802
        self, request: pb.GetCampaignLeagueRequest, context: Any
    ) -> pb.GetCampaignLeagueResponse:
        self.asked.append(request)
        return pb.GetCampaignLeagueResponse(
            campaigns=[
                pb.CampaignLeagueRow(
                    campaign_id="welcome",
                    trigger="enrollment",
                    reached=2,
                    grants=3,
                    points=150,
                    cost="3.00",
                    holdout=pb.HoldoutComparison(
                        from_day="2026-11-05",
                        to_day="2026-11-30",
                        targeted_members=2,
                        held_out_members=2,
                        uplift="100.00",
                        uplift_low="-1320.57",
                        uplift_high="1520.57",
                        incremental_sales="200.00",
                        cost_per_incremental_sale="0.0150",
                    ),
                ),
                pb.CampaignLeagueRow(campaign_id="old", reached=1, grants=1, points=10),
                pb.CampaignLeagueRow(
                    campaign_id="vip",
                    trigger="purchase",
                    reached=1,
                    grants=1,
                    points=5,
                    holdout_unavailable="segment_unavailable",
                ),
            ]
        )


@pytest.fixture
async def league(make_settings: SettingsFactory) -> AsyncIterator[tuple[Gateway, FakeLeague]]:
    fake = FakeLeague()  # type: ignore[abstract]  # answers the league table only
    async with (
        serving_analytics(fake) as address,
        running_gateway(make_settings(analytics_addr=address)) as running,
    ):
        yield running, fake


async def test_the_league_table_asks_for_the_days_and_sort_and_answers_each_campaign(
    league: tuple[Gateway, FakeLeague],
) -> None:
    gateway, fake = league
    tenant = new_tenant()
    headers = await operator(gateway, tenant, "marketer")
    query = {"from": "2026-11-01", "to": "2026-11-30", "sort": "reached"}

    response = await gateway.client.get(
        "/v1/admin/analytics/campaigns", params=query, headers=headers
    )
    as_csv = await gateway.client.get(
        "/v1/admin/analytics/campaigns", params={**query, "format": "csv"}, headers=headers
    )

    assert response.status_code == 200, response.text
    asked = fake.asked[0]
    assert (asked.tenant_id, asked.from_day, asked.to_day, asked.sort) == (
        tenant,
        "2026-11-01",
        "2026-11-30",
        "reached",
    )
    body = response.json()
    assert body["range"] == {"from": "2026-11-01", "to": "2026-11-30"}
    assert body["campaigns"] == [
        {
            "campaign_id": "welcome",
            "trigger": "enrollment",
            "reached": 2,
            "grants": 3,
            "points": 150,
            "cost": "3.00",
            "holdout": {
                "from": "2026-11-05",
                "to": "2026-11-30",
                "targeted_members": 2,
                "held_out_members": 2,
                "uplift": "100.00",
                "uplift_low": "-1320.57",
                "uplift_high": "1520.57",
                "incremental_sales": "200.00",
                "cost_per_incremental_sale": "0.0150",
            },
            "holdout_unavailable": None,
        },
        {
            "campaign_id": "old",
            "trigger": None,
            "reached": 1,
            "grants": 1,
            "points": 10,
            "cost": None,
            "holdout": None,
            "holdout_unavailable": None,
        },
        {
            "campaign_id": "vip",
            "trigger": "purchase",
            "reached": 1,
            "grants": 1,
            "points": 5,
            "cost": None,
            "holdout": None,
            "holdout_unavailable": "segment_unavailable",
        },
    ]
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    costs = [(r["campaign_id"], r["value"]) for r in rows if r["measure"] == "cost"]
    assert costs == [("welcome", "3.00"), ("old", ""), ("vip", "")]
    reasons = [
        (r["campaign_id"], r["value"]) for r in rows if r["measure"] == "holdout_unavailable"
    ]
    assert reasons == [("welcome", ""), ("old", ""), ("vip", "segment_unavailable")]
    uplift = [
        (r["section"], r["campaign_id"], r["value"]) for r in rows if r["measure"] == "uplift"
    ]
    assert uplift == [("campaigns.holdout", "welcome", "100.00")]


async def test_a_sort_that_is_no_figure_is_refused_before_the_service_is_asked(
    league: tuple[Gateway, FakeLeague],
) -> None:
    gateway, fake = league
    headers = await operator(gateway, new_tenant(), "analyst")

    response = await gateway.client.get(
        "/v1/admin/analytics/campaigns", params={"sort": "name"}, headers=headers
    )

    assert response.status_code == 422
    assert fake.asked == []


@pytest.mark.parametrize("role", ["store_manager", "auditor", "support"])
async def test_the_league_table_is_not_for_stores_finance_or_support(
    league: tuple[Gateway, FakeLeague], role: str
) -> None:
    gateway, fake = league
    headers = await operator(gateway, new_tenant(), role, "S1" if role == "store_manager" else None)

    response = await gateway.client.get("/v1/admin/analytics/campaigns", headers=headers)

    assert response.status_code == 403
    assert fake.asked == []
