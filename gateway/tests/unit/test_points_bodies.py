from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from gateway.points.bodies import RedemptionBody, ReturnBody
from gateway.shared.purchases import OrderBody
from libs.ids import new_id


def an_order(**fields: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "order_id": f"POS-S001-{new_id()}",
        "member_id": new_id("mem_"),
        "occurred_at": "2026-11-25T10:15:00+08:00",
        "currency": "CNY",
        "total": "398.00",
        "lines": [{"sku": "SHOE-1", "category": "shoes", "quantity": 1, "unit_price": "299.00"}],
    }
    document.update(fields)
    return {name: value for name, value in document.items() if value is not None}


def errors(model: type[BaseModel], document: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(document)
    return [(tuple(err["loc"]), err["msg"]) for err in raised.value.errors()]


def locations(model: type[BaseModel], document: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [location for location, _ in errors(model, document)]


def test_an_order_from_the_api_example_is_read_with_decimal_money() -> None:
    order = OrderBody.model_validate(an_order(channel="pos", store_id="S001"))

    assert order.total == Decimal("398.00")
    assert order.lines[0].unit_price == Decimal("299.00")
    assert order.identity is None


def test_an_order_may_name_its_member_by_identity_instead() -> None:
    document = an_order(member_id=None, identity={"type": "phone", "value": "+8613800000001"})

    assert OrderBody.model_validate(document).identity is not None


@pytest.mark.parametrize(
    "reference",
    [
        {"member_id": None},
        {"identity": {"type": "phone", "value": "+8613800000001"}},
    ],
    ids=["neither", "both"],
)
def test_an_order_names_its_member_exactly_once(reference: dict[str, Any]) -> None:
    assert errors(OrderBody, an_order(**reference)) == [
        ((), "give exactly one of member_id and identity")
    ]


def test_an_order_total_sent_as_a_number_is_refused_naming_the_field() -> None:
    found = errors(OrderBody, an_order(total=398.0))

    assert found == [(("total",), 'must be a decimal string such as "199.00", not a JSON number')]


def test_a_unit_price_with_three_decimals_is_refused_naming_its_line() -> None:
    line = {"sku": "A", "category": "c", "quantity": 1, "unit_price": "1.005"}

    assert locations(OrderBody, an_order(lines=[line, line])) == [
        ("lines", 0, "unit_price"),
        ("lines", 1, "unit_price"),
    ]


@pytest.mark.parametrize("count", [0, 201])
def test_an_order_has_between_one_and_two_hundred_lines(count: int) -> None:
    line = {"sku": "A", "category": "c", "quantity": 1, "unit_price": "1.00"}

    assert locations(OrderBody, an_order(lines=[line] * count)) == [("lines",)]


@pytest.mark.parametrize("quantity", [0, -1, 1.5, "1", True])
def test_a_line_quantity_is_a_whole_number_of_at_least_one(quantity: object) -> None:
    line = {"sku": "A", "category": "c", "quantity": quantity, "unit_price": "1.00"}

    assert locations(OrderBody, an_order(lines=[line])) == [("lines", 0, "quantity")]


@pytest.mark.parametrize("order_id", ["", "x" * 129, "POS 1", "POS/1", "订单1"])
def test_an_order_id_is_1_to_128_safe_characters(order_id: str) -> None:
    assert locations(OrderBody, an_order(order_id=order_id)) == [("order_id",)]


def test_an_order_id_may_use_dots_colons_dashes_and_underscores() -> None:
    order_id = f"pos:S001.{new_id()}-1"

    assert OrderBody.model_validate(an_order(order_id=order_id)).order_id == order_id


@pytest.mark.parametrize("currency", ["cny", "CN", "CNYY", "元"])
def test_a_currency_is_three_upper_case_letters(currency: str) -> None:
    assert locations(OrderBody, an_order(currency=currency)) == [("currency",)]


@pytest.mark.parametrize("occurred_at", ["2026-11-25T10:15:00", 1764036900])
def test_an_order_time_needs_an_offset(occurred_at: object) -> None:
    assert locations(OrderBody, an_order(occurred_at=occurred_at)) == [("occurred_at",)]


def test_an_unknown_order_field_is_refused() -> None:
    assert locations(OrderBody, an_order(tenant_id="other")) == [("tenant_id",)]


def test_an_unknown_line_field_is_refused() -> None:
    line = {"sku": "A", "category": "c", "quantity": 1, "unit_price": "1.00", "discount": "1"}

    assert locations(OrderBody, an_order(lines=[line])) == [("lines", 0, "discount")]


def test_a_return_names_lines_or_an_amount() -> None:
    by_lines = ReturnBody.model_validate(
        {"return_id": new_id("ret_"), "lines": [{"sku": "SHOE-1", "quantity": 1}]}
    )
    by_amount = ReturnBody.model_validate({"return_id": new_id("ret_"), "amount": "99.00"})

    assert (by_lines.amount, by_amount.lines) == (None, None)
    assert by_amount.amount == Decimal("99.00")


@pytest.mark.parametrize(
    "refund",
    [{}, {"lines": [{"sku": "SHOE-1", "quantity": 1}], "amount": "99.00"}],
    ids=["neither", "both"],
)
def test_a_return_names_exactly_one_of_lines_and_amount(refund: dict[str, Any]) -> None:
    assert errors(ReturnBody, {"return_id": new_id("ret_"), **refund}) == [
        ((), "give exactly one of lines and amount")
    ]


def test_a_return_amount_sent_as_a_number_is_refused() -> None:
    assert locations(ReturnBody, {"return_id": new_id("ret_"), "amount": 99}) == [("amount",)]


def test_a_redemption_holds_for_fifteen_minutes_without_capturing_by_default() -> None:
    body = RedemptionBody.model_validate({"member_id": new_id("mem_"), "points": 100})

    assert (body.hold_seconds, body.capture, body.order_id) == (900, False, None)


@pytest.mark.parametrize("points", [0, -5, 1.0, "100", True, 10**13])
def test_redeemed_points_are_a_positive_whole_json_number(points: object) -> None:
    document = {"member_id": new_id("mem_"), "points": points}

    assert locations(RedemptionBody, document) == [("points",)]


@pytest.mark.parametrize("hold_seconds", [29, 86_401])
def test_a_hold_lasts_between_thirty_seconds_and_a_day(hold_seconds: int) -> None:
    document = {"member_id": new_id("mem_"), "points": 1, "hold_seconds": hold_seconds}

    assert locations(RedemptionBody, document) == [("hold_seconds",)]


def test_capture_is_a_json_boolean() -> None:
    document = {"member_id": new_id("mem_"), "points": 1, "capture": "yes"}

    assert locations(RedemptionBody, document) == [("capture",)]
