import dataclasses
from decimal import Decimal

import pytest

from libs.errors import InvalidArgument
from services.points.domain.earning import EarningRule, parse_points_per_unit, validate_rule


def rule(points_per_unit: str = "1", rounding: str = "floor") -> EarningRule:
    return EarningRule(currency="CNY", points_per_unit=Decimal(points_per_unit), rounding=rounding)


def test_one_point_per_currency_unit_rounds_down_by_default() -> None:
    assert rule().base_points(Decimal("398.99")) == 398


@pytest.mark.parametrize(
    ("rounding", "expected"), [("floor", 49), ("half_up", 50), ("ceiling", 50)]
)
def test_the_rounding_mode_decides_the_last_point(rounding: str, expected: int) -> None:
    assert rule("0.5", rounding).base_points(Decimal("99.00")) == expected


def test_base_points_are_an_integer_computed_without_floats() -> None:
    # In binary floating point 0.29 * 100 is 28.999999999999996, which floors to 28.
    points = rule("100").base_points(Decimal("0.29"))
    assert points == 29
    assert isinstance(points, int)


def test_nothing_paid_earns_nothing() -> None:
    assert rule().base_points(Decimal(0)) == 0
    assert rule().base_points(Decimal("-10")) == 0


@pytest.mark.parametrize("raw", ["abc", "NaN", "-1", "1e9"])
def test_a_points_per_unit_that_is_not_a_sane_decimal_is_refused(raw: str) -> None:
    with pytest.raises(InvalidArgument, match="points_per_unit"):
        parse_points_per_unit(raw)


def test_a_rule_needs_an_iso_currency_and_a_known_rounding() -> None:
    with pytest.raises(InvalidArgument, match="currency"):
        validate_rule(EarningRule(currency="yuan", points_per_unit=Decimal(1)))
    with pytest.raises(InvalidArgument, match="rounding"):
        validate_rule(rule(rounding="banker"))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"time_zone": ""}, "time_zone"),
        ({"transfer_limit_per_day": -1}, "transfer_limit_per_day"),
    ],
)
def test_a_rule_needs_a_known_time_zone_and_a_sane_transfer_limit(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidArgument, match=f"^{field}: "):
        validate_rule(dataclasses.replace(rule(), **changes))  # type: ignore[arg-type]
