"""Between the operators' points JSON and PointsService messages."""

from __future__ import annotations

from gateway.points.admin_settings import PointsSettingsBody, rule_from_body, settings_from_rule
from gateway.points.translate import return_from_proto
from loyalty.points.v1 import points_pb2 as pb


def test_a_capped_returns_shortfall_reaches_the_answer() -> None:
    reply = pb.ReturnOrderResponse(
        return_id="R-1", order_id="O-1", points_reversed=20, shortfall=80
    )

    answer = return_from_proto(reply)

    assert (answer.points_reversed, answer.shortfall) == (20, 80)


def test_settings_go_to_the_service_and_come_back_unchanged() -> None:
    body = PointsSettingsBody(
        currency="CNY",
        points_per_unit="0.5",
        expiry_policy="days_after_earning",
        expiry_days=90,
        time_zone="Asia/Shanghai",
        transfer_limit_per_day=100,
        return_shortfall="cap_at_zero",
        excluded_skus=["GIFT-1"],
    )
    rule = rule_from_body(body)
    rule.version = 3

    back = settings_from_rule(rule)

    assert back.model_dump() == {**body.model_dump(), "version": 3}


def test_a_rule_stored_before_policies_had_names_reads_as_never_in_utc() -> None:
    settings = settings_from_rule(pb.EarningRule(currency="CNY", points_per_unit="1.00"))

    assert (settings.expiry_policy, settings.time_zone, settings.points_per_unit) == (
        "never",
        "UTC",
        "1",
    )
    assert settings.return_shortfall == "debt"
