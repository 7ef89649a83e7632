"""A campaign's results day by day composed: the campaign service's days with each day's
groups and running uplift from the analytics read model, or null with the reason when it
cannot answer."""

from __future__ import annotations

from typing import Any

import grpc
import pytest
from grpc import aio

from gateway.campaigns.audience_answers import CampaignDayOut, CampaignDaysOut
from gateway.campaigns.daily import with_holdout_days
from loyalty.analytics.v1 import campaign_holdout_pb2 as holdout_pb
from loyalty.campaign.v1 import campaign_admin_pb2 as admin_pb

pytestmark = pytest.mark.unit


def campaign(percent: int, effect: str = "bonus_points") -> admin_pb.Campaign:
    definition = admin_pb.CampaignDefinition(holdout_percent=percent)
    definition.effect.type = effect
    return admin_pb.Campaign(campaign_id="cmp_1", definition=definition)


def service_days(*dates: str) -> CampaignDaysOut:
    days = [
        CampaignDayOut(
            date=d,
            members_reached=1,
            points_granted=50,
            grants=1,
            budget_left=None,
            targeted=None,
            held_out=None,
        )
        for d in dates
    ]
    return CampaignDaysOut(campaign_id="cmp_1", time_zone="UTC", days=days)


def group(orders: int, spend: str) -> holdout_pb.HoldoutDayGroup:
    return holdout_pb.HoldoutDayGroup(orders=orders, spend=spend)


class Analytics:
    def __init__(self, answer: holdout_pb.GetCampaignHoldoutResponse | None = None) -> None:
        self.answer = answer
        self.asked: list[holdout_pb.GetCampaignHoldoutRequest] = []

    async def GetCampaignHoldout(  # noqa: N802
        self, request: holdout_pb.GetCampaignHoldoutRequest
    ) -> holdout_pb.GetCampaignHoldoutResponse:
        self.asked.append(request)
        if self.answer is None:
            raise aio.AioRpcError(
                grpc.StatusCode.DEADLINE_EXCEEDED, aio.Metadata(), aio.Metadata(), "late", None
            )
        return self.answer


ANSWER = holdout_pb.GetCampaignHoldoutResponse(
    from_day="2026-11-01",
    to_day="2026-11-02",
    days=[
        holdout_pb.HoldoutDay(
            day="2026-11-01",
            targeted=group(2, "150.00"),
            held_out=group(1, "20.00"),
            uplift="55.00",
            uplift_low="-10.00",
            uplift_high="120.00",
        ),
        holdout_pb.HoldoutDay(
            day="2026-11-02",
            targeted=group(0, "0.00"),
            held_out=group(0, "0.00"),
            uplift="55.00",
            uplift_low="-10.00",
            uplift_high="120.00",
        ),
    ],
)


async def test_each_day_takes_its_groups_and_uplift_from_the_read_model() -> None:
    analytics: Any = Analytics(ANSWER)

    out = await with_holdout_days(
        service_days("2026-11-01", "2026-11-02"), analytics, "t1", campaign(10)
    )

    first = out.days[0].model_dump()
    assert (first["targeted"], first["held_out"]) == (
        {"orders": 2, "spend": "150.00"},
        {"orders": 1, "spend": "20.00"},
    )
    assert (first["uplift"], first["uplift_low"], first["uplift_high"]) == (
        "55.00",
        "-10.00",
        "120.00",
    )
    assert (first["points_granted"], first["members_reached"]) == (50, 1)
    assert out.holdout_unavailable is None
    assert analytics.asked[0].by_day is True


async def test_without_a_holdout_every_member_is_targeted_and_there_is_no_uplift() -> None:
    analytics: Any = Analytics(ANSWER)

    out = await with_holdout_days(service_days("2026-11-01"), analytics, "t1", campaign(0))

    day = out.days[0].model_dump()
    assert (day["targeted"], day["held_out"], day["uplift"]) == (
        {"orders": 2, "spend": "150.00"},
        None,
        None,
    )
    assert analytics.asked[0].holdout_percent == 0


async def test_a_day_the_read_model_did_not_count_is_a_day_nobody_bought() -> None:
    analytics: Any = Analytics(
        holdout_pb.GetCampaignHoldoutResponse(from_day="2026-11-03", to_day="2026-11-02")
    )

    out = await with_holdout_days(service_days("2026-11-03"), analytics, "t1", campaign(10))

    day = out.days[0].model_dump()
    assert (day["targeted"], day["held_out"], day["uplift"]) == (
        {"orders": 0, "spend": "0.00"},
        {"orders": 0, "spend": "0.00"},
        None,
    )


@pytest.mark.parametrize(
    ("analytics", "effect", "reason"),
    [
        (Analytics(None), "bonus_points", "analytics_unavailable"),
        (None, "bonus_points", "analytics_unavailable"),
        (
            Analytics(holdout_pb.GetCampaignHoldoutResponse(unavailable="analytics_rebuilding")),
            "bonus_points",
            "analytics_rebuilding",
        ),
        (Analytics(ANSWER), "coupon", "marketing_consent_unknown"),
    ],
)
async def test_when_the_read_model_cannot_answer_the_days_keep_their_grants_and_say_why(
    analytics: Any, effect: str, reason: str
) -> None:
    out = await with_holdout_days(service_days("2026-11-01"), analytics, "t1", campaign(10, effect))

    day = out.days[0].model_dump()
    assert (day["points_granted"], day["grants"], day["members_reached"]) == (50, 1, 1)
    assert (day["targeted"], day["held_out"], day["uplift"], day["uplift_low"]) == (None,) * 4
    assert out.holdout_unavailable == reason
