"""Expiry policies per tenant: days after earning, the end of a month in the tenant's time
zone, months after earning, or never."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from libs.errors import InvalidArgument
from services.points.domain.earning import EarningRule, validate_rule
from services.points.domain.expiry_policy import ExpiryPolicy

SHANGHAI = ZoneInfo("Asia/Shanghai")
RULE = EarningRule(currency="CNY", points_per_unit=Decimal(1), time_zone="Asia/Shanghai")
# 04:30 on 1 February in Shanghai, still 31 January in UTC.
EARNED = datetime(2026, 1, 31, 20, 30, tzinfo=UTC)


def policy(name: str, *, days: int = 0, months: int = 0) -> EarningRule:
    return dataclasses.replace(RULE, expiry_policy=name, expiry_days=days, expiry_months=months)


def test_days_after_earning_is_that_many_days_to_the_second() -> None:
    assert policy("days_after_earning", days=90).expiry_for(EARNED) == EARNED + timedelta(days=90)


def test_end_of_month_is_the_last_second_of_the_month_in_the_tenants_zone() -> None:
    expires = policy("end_of_month", months=1).expiry_for(EARNED)
    assert expires == datetime(2026, 3, 31, 23, 59, 59, tzinfo=SHANGHAI)
    assert expires is not None
    assert expires.isoformat() == "2026-03-31T23:59:59+08:00"


def test_end_of_month_with_no_months_is_the_end_of_the_month_of_earning_there() -> None:
    assert policy("end_of_month").expiry_for(EARNED) == datetime(
        2026, 2, 28, 23, 59, 59, tzinfo=SHANGHAI
    )
    in_utc = dataclasses.replace(policy("end_of_month"), time_zone="UTC")
    assert in_utc.expiry_for(EARNED) == datetime(2026, 1, 31, 23, 59, 59, tzinfo=UTC)


def test_end_of_month_crosses_years() -> None:
    assert policy("end_of_month", months=13).expiry_for(EARNED) == datetime(
        2027, 3, 31, 23, 59, 59, tzinfo=SHANGHAI
    )


def test_never_means_never_and_a_rule_naming_no_policy_keeps_its_months() -> None:
    assert policy("never", months=24).expiry_for(EARNED) is None
    legacy = dataclasses.replace(RULE, expiry_months=1)
    assert legacy.policy is ExpiryPolicy.MONTHS_AFTER_EARNING
    assert legacy.expiry_for(EARNED) == datetime(2026, 2, 28, 20, 30, tzinfo=UTC)
    assert RULE.policy is ExpiryPolicy.NEVER


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        (policy("fortnightly"), "expiry_policy"),
        (policy("days_after_earning"), "expiry_days"),
        (policy("days_after_earning", days=3651), "expiry_days"),
        (policy("end_of_month", months=121), "expiry_months"),
        (policy("months_after_earning"), "expiry_months"),
    ],
)
def test_a_policy_without_its_number_is_refused_naming_the_field(
    rule: EarningRule, field: str
) -> None:
    with pytest.raises(InvalidArgument, match=f"^{field}: "):
        validate_rule(rule)
