"""A campaign's results take their comparison with the holdout from the analytics service
(a stand-in here), asked for the campaign's window; when it cannot give one the campaign
still answers 200, the comparison null and the reason given."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from gateway.tests.integration.support import (
    Gateway,
    SettingsFactory,
    new_tenant,
    running_gateway,
    serving_analytics,
)
from gateway.tests.integration.test_campaigns_admin import PATH, a_campaign
from libs.timestamps import aware
from loyalty.analytics.v1 import analytics_pb2_grpc
from loyalty.analytics.v1 import campaign_holdout_pb2 as pb

STARTS = "2026-11-25T00:00:00+08:00"
COMPARED = pb.GetCampaignHoldoutResponse(
    from_day="2026-11-25",
    to_day="2026-12-01",
    targeted=pb.HoldoutGroupFigures(members=3, orders=4, spend="1200.00"),
    held_out=pb.HoldoutGroupFigures(members=2, orders=2, spend="400.00"),
    uplift="200.00",
    uplift_low="-882.90",
    uplift_high="1282.90",
)


@dataclass
class FakeHoldout(analytics_pb2_grpc.AnalyticsServiceServicer):
    answer: pb.GetCampaignHoldoutResponse = field(default_factory=lambda: COMPARED)
    asked: list[pb.GetCampaignHoldoutRequest] = field(default_factory=list)

    async def GetCampaignHoldout(  # noqa: N802
        self, request: pb.GetCampaignHoldoutRequest, context: Any
    ) -> pb.GetCampaignHoldoutResponse:
        self.asked.append(request)
        return self.answer


@pytest.fixture
async def analytics(make_settings: SettingsFactory) -> AsyncIterator[tuple[Gateway, FakeHoldout]]:
    fake = FakeHoldout()  # type: ignore[abstract]  # answers the holdout comparison only
    async with (
        serving_analytics(fake) as address,
        running_gateway(make_settings(analytics_addr=address)) as running,
    ):
        yield running, fake


async def a_holdout_campaign(gateway: Gateway, headers: dict[str, str], **fields: Any) -> str:
    body = a_campaign(starts_at=STARTS, ends_at=None, holdout_percent=50, **fields)
    created = await gateway.client.post(PATH, json=body, headers=headers)
    assert created.status_code == 201, created.text
    campaign_id: str = created.json()["campaign_id"]
    return campaign_id


async def test_a_holdout_campaigns_results_carry_the_analytics_comparison_of_its_window(
    analytics: tuple[Gateway, FakeHoldout],
) -> None:
    gateway, fake = analytics
    tenant = new_tenant()
    operator = await gateway.key(tenant, "operator")
    campaign_id = await a_holdout_campaign(gateway, operator, audience={"segment_id": "seg-1"})
    before = datetime.now(UTC)

    read = await gateway.client.get(f"{PATH}/{campaign_id}", headers=operator)

    assert read.status_code == 200, read.text
    results = read.json()["results"]
    assert results["holdout_unavailable"] is None
    assert results["holdout"] == {
        "targeted": {
            "members": 3,
            "orders": 4,
            "spend": "1200.00",
            "orders_per_member": "1.33",
            "spend_per_member": "400.00",
        },
        "held_out": {
            "members": 2,
            "orders": 2,
            "spend": "400.00",
            "orders_per_member": "1.00",
            "spend_per_member": "200.00",
        },
        "uplift": "200.00",
        "uplift_low": "-882.90",
        "uplift_high": "1282.90",
        "from_day": "2026-11-25",
        "to_day": "2026-12-01",
    }
    asked = fake.asked[-1]
    assert (asked.tenant_id, asked.campaign_id, asked.holdout_percent, asked.segment_id) == (
        tenant,
        campaign_id,
        50,
        "seg-1",
    )
    # from its start to now: it has no end
    assert aware(asked.starts_at) == datetime.fromisoformat(STARTS)
    assert before <= aware(asked.ends_at) <= datetime.now(UTC)


@pytest.mark.parametrize(
    "reason", ["analytics_behind", "analytics_rebuilding", "segment_unavailable"]
)
async def test_when_the_read_model_cannot_compare_the_results_answer_without_a_figure_saying_why(
    analytics: tuple[Gateway, FakeHoldout], reason: str
) -> None:
    gateway, fake = analytics
    fake.answer = pb.GetCampaignHoldoutResponse(unavailable=reason)
    operator = await gateway.key(new_tenant(), "operator")
    campaign_id = await a_holdout_campaign(gateway, operator)

    read = await gateway.client.get(f"{PATH}/{campaign_id}", headers=operator)

    assert read.status_code == 200, read.text
    results = read.json()["results"]
    assert (results["holdout"], results["holdout_unavailable"]) == (None, reason)
    assert results["budget_left"] == 100000


async def test_without_the_analytics_service_a_campaigns_results_still_answer(
    make_settings: SettingsFactory,
) -> None:
    async with running_gateway(make_settings(analytics_addr="127.0.0.1:1")) as gateway:
        operator = await gateway.key(new_tenant(), "operator")
        campaign_id = await a_holdout_campaign(gateway, operator)

        read = await gateway.client.get(f"{PATH}/{campaign_id}", headers=operator)

    assert read.status_code == 200, read.text
    results = read.json()["results"]
    assert (results["holdout"], results["holdout_unavailable"]) == (None, "analytics_unavailable")


async def test_a_campaign_without_a_holdout_asks_the_analytics_service_nothing(
    analytics: tuple[Gateway, FakeHoldout],
) -> None:
    gateway, fake = analytics
    operator = await gateway.key(new_tenant(), "operator")
    created = await gateway.client.post(PATH, json=a_campaign(), headers=operator)

    read = await gateway.client.get(f"{PATH}/{created.json()['campaign_id']}", headers=operator)

    results = read.json()["results"]
    assert (results["holdout"], results["holdout_unavailable"]) == (None, None)
    assert fake.asked == []


async def test_a_coupon_campaigns_comparison_is_not_guessed_without_marketing_consent(
    analytics: tuple[Gateway, FakeHoldout],
) -> None:
    gateway, fake = analytics
    operator = await gateway.key(new_tenant(), "operator")
    effect = {"type": "coupon", "template_id": "tpl-1"}
    campaign_id = await a_holdout_campaign(gateway, operator, effect=effect)

    read = await gateway.client.get(f"{PATH}/{campaign_id}", headers=operator)

    results = read.json()["results"]
    assert (results["holdout"], results["holdout_unavailable"]) == (
        None,
        "marketing_consent_unknown",
    )
    assert fake.asked == []
