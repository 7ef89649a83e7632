"""Each field error of a 422 carries a machine code from one small vocabulary, and the
limit it broke where there is one, whatever found it."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import pytest
from pydantic import BaseModel, Field

from gateway.campaigns.bodies import CampaignBody
from gateway.edge.field_codes import field_code, field_limit
from gateway.edge.json_body import parse_body
from gateway.edge.problems import ApiProblem, validation_problem


class Cart(BaseModel):
    model_config = {"extra": "forbid"}
    points: Annotated[int, Field(gt=0, le=1000)]
    name: Annotated[str, Field(min_length=2, max_length=5)]
    total: Annotated[Decimal, Field(decimal_places=2)]


def errors_of(document: object, model: type[BaseModel] = Cart) -> list[dict[str, object]]:
    with pytest.raises(ApiProblem) as raised:
        parse_body(model, document)
    found: list[dict[str, object]] = raised.value.extra["errors"]
    return found


def test_each_broken_field_says_why_as_a_code_with_the_limit_it_broke() -> None:
    found = errors_of({"points": 0, "name": "abcdefg", "total": "1.234", "colour": "red"})
    assert [(e["location"], e["code"], e.get("limit")) for e in found] == [
        ("body.points", "must_exceed", 0),
        ("body.name", "too_long", 5),
        ("body.total", "too_precise", 2),
        ("body.colour", "unknown_field", None),
    ]
    assert all(e["message"] for e in found)


def test_a_missing_or_mistyped_field_has_its_own_code() -> None:
    found = errors_of({"points": "many", "total": "1.00"})
    assert [(e["location"], e["code"]) for e in found] == [
        ("body.points", "wrong_type"),
        ("body.name", "required"),
    ]


def test_the_campaign_builders_own_rules_keep_their_codes() -> None:
    body = {
        "name": "Shoe week",
        "trigger": "purchase",
        "starts_at": "2026-12-02T00:00:00+08:00",
        "ends_at": "2026-12-01T00:00:00+08:00",
        "effect": {"type": "multiplier", "factor": "1"},
    }
    found = errors_of(body, CampaignBody)
    by_location = {e["location"]: (e["code"], e.get("limit")) for e in found}
    assert by_location["body.effect.multiplier.factor"] == ("must_exceed", "1")  # a decimal
    assert by_location["body.ends_at"] == ("ends_before_start", None)


def test_an_error_made_by_hand_may_name_its_code_and_else_is_invalid() -> None:
    problem = validation_problem(
        [
            {"loc": ("body", "store_id"), "msg": "not a store of yours", "code": "not_allowed"},
            {"loc": ("body",), "msg": "a JSON body is required"},
        ]
    )
    assert [e["code"] for e in problem.extra["errors"]] == ["not_allowed", "invalid"]


@pytest.mark.parametrize(
    ("error_type", "code"),
    [
        ("int_parsing", "wrong_type"),
        ("bool_type", "wrong_type"),
        ("literal_error", "not_allowed"),
        ("greater_than_equal", "too_small"),
        ("less_than", "must_be_below"),
        ("less_than_equal", "too_large"),
        ("string_pattern_mismatch", "bad_format"),
        ("instant_offset", "offset_required"),
        ("value_error", "invalid"),
        ("something_new", "invalid"),
    ],
)
def test_every_error_type_falls_in_the_vocabulary(error_type: str, code: str) -> None:
    assert field_code(error_type) == code


def test_a_limit_is_a_number_or_a_decimal_string_never_a_flag() -> None:
    assert (field_limit({"ge": 1}), field_limit({"le": Decimal("99.5")})) == (1, "99.5")
    assert (field_limit({"strict": True}), field_limit(None)) == (None, None)
