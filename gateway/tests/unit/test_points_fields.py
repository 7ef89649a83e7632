from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from pydantic_core import PydanticCustomError

from gateway.edge.fields import parse_instant, parse_money


@pytest.mark.parametrize(
    ("text", "amount"),
    [("199.00", "199.00"), ("0", "0"), ("0.5", "0.5"), ("999999999999.99", "999999999999.99")],
)
def test_money_is_read_from_a_decimal_string_exactly(text: str, amount: str) -> None:
    parsed = parse_money(text)

    assert parsed == Decimal(amount)
    assert str(parsed) == text


@pytest.mark.parametrize("number", [199, 199.0, 0.1])
def test_money_sent_as_a_json_number_is_refused_with_a_clear_message(number: object) -> None:
    with pytest.raises(PydanticCustomError) as raised:
        parse_money(number)

    assert raised.value.type == "money_type"
    assert "not a JSON number" in raised.value.message()


@pytest.mark.parametrize(
    "text",
    ["1.234", "-1.00", "1e3", "NaN", "Infinity", " 1.00", "1.", ".5", "1,00", "١٢٣", "", "1\n"],
)
def test_money_that_is_not_a_plain_decimal_of_two_places_is_refused(text: str) -> None:
    with pytest.raises(PydanticCustomError) as raised:
        parse_money(text)

    assert raised.value.type == "money_format"


@pytest.mark.parametrize("value", [True, None, ["1.00"], {"amount": "1.00"}])
def test_money_of_another_json_type_is_refused(value: object) -> None:
    with pytest.raises(PydanticCustomError):
        parse_money(value)


def test_an_instant_keeps_the_offset_it_was_given() -> None:
    parsed = parse_instant("2026-11-25T10:15:00+08:00")

    assert parsed.utcoffset() == timedelta(hours=8)
    assert (parsed.hour, parsed.minute) == (10, 15)


def test_an_instant_in_zulu_time_is_utc() -> None:
    assert parse_instant("2026-11-25T02:15:00Z").utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("value", "error_type"),
    [
        ("2026-11-25T10:15:00", "instant_offset"),
        ("2026-11-25", "instant_offset"),
        ("25/11/2026 10:15", "instant_format"),
        (1764036900, "instant_type"),
        ("", "instant_format"),
    ],
)
def test_an_instant_without_an_offset_or_not_iso_8601_is_refused(
    value: object, error_type: str
) -> None:
    with pytest.raises(PydanticCustomError) as raised:
        parse_instant(value)

    assert raised.value.type == error_type
    assert "offset" in raised.value.message()
