"""A dry run's cart as the campaign service gets it: each line's share of the total paid
and its base points at the tenant's rate."""

from __future__ import annotations

from gateway.campaigns.audience_bodies import DryRunBody
from gateway.campaigns.audience_translate import days_out, dry_run_message
from loyalty.campaign.v1 import campaign_audience_pb2 as pb
from loyalty.points.v1 import points_pb2

RULE = points_pb2.EarningRule(points_per_unit="1", excluded_categories=["gift-cards"])


def cart(total: str) -> DryRunBody:
    return DryRunBody.model_validate(
        {
            "member_id": "m1",
            "channel": "pos",
            "total": total,
            "lines": [
                {"sku": "SHOE-1", "category": "shoes", "quantity": 2, "unit_price": "150.00"},
                {"sku": "GC-50", "category": "gift-cards", "quantity": 1, "unit_price": "100.00"},
            ],
        }
    )


def test_lines_share_a_discounted_total_in_proportion_to_their_amounts() -> None:
    message = dry_run_message(cart("200.00"), "demo", "c1", "Asia/Shanghai", RULE)
    assert [(line.amount, line.base_points) for line in message.lines] == [
        ("150.00", 150),
        ("50.00", 0),
    ]
    assert (message.total, message.time_zone, message.HasField("occurred_at")) == (
        "200.00",
        "Asia/Shanghai",
        False,
    )


def test_a_fractional_rate_rounds_each_lines_points_down() -> None:
    rule = points_pb2.EarningRule(points_per_unit="0.5")
    message = dry_run_message(cart("400.00"), "demo", "c1", "", rule)
    assert [line.base_points for line in message.lines] == [150, 50]


def test_a_day_without_a_budget_answers_null_for_it_and_its_groups_wait_for_the_read_model() -> (
    None
):
    reply = pb.GetCampaignDaysResponse(
        days=[
            pb.CampaignDay(date="2026-11-25", members_reached=2, points_granted=300, grants=3),
            pb.CampaignDay(date="2026-11-26", budget_left=0),
        ]
    )
    days = days_out(reply, "c1", "Asia/Shanghai").model_dump()["days"]
    assert days[0]["budget_left"] is None
    assert (days[0]["points_granted"], days[0]["members_reached"]) == (300, 2)
    assert days[1]["budget_left"] == 0
    # the groups and the uplift come from the analytics read model (campaigns/daily.py)
    assert (days[0]["targeted"], days[0]["held_out"], days[0]["uplift"]) == (None, None, None)
