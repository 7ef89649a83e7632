from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from gateway.members.bodies import EnrollMemberBody


def body(**fields: Any) -> dict[str, Any]:
    return {"identities": [{"type": "phone", "value": "+8613800000001"}], **fields}


def error_locations(document: dict[str, Any]) -> list[tuple[int | str, ...]]:
    with pytest.raises(ValidationError) as raised:
        EnrollMemberBody.model_validate(document)
    return [tuple(err["loc"]) for err in raised.value.errors()]


def test_a_minimal_body_names_one_identity() -> None:
    parsed = EnrollMemberBody.model_validate(body())

    assert parsed.identities[0].type == "phone"
    assert parsed.channel is None
    assert parsed.consents == {}


def test_an_unknown_top_level_field_is_rejected() -> None:
    assert error_locations(body(tenant_id="other")) == [("tenant_id",)]


def test_an_unknown_field_inside_an_identity_is_rejected() -> None:
    document = {"identities": [{"type": "phone", "value": "1", "verified": True}]}

    assert error_locations(document) == [("identities", 0, "verified")]


def test_an_unknown_profile_field_is_rejected() -> None:
    assert error_locations(body(profile={"nickname": "x"})) == [("profile", "nickname")]


def test_an_unknown_identity_type_is_rejected() -> None:
    document = {"identities": [{"type": "fax", "value": "1"}]}

    assert error_locations(document) == [("identities", 0, "type")]


@pytest.mark.parametrize("count", [0, 11])
def test_a_body_needs_between_one_and_ten_identities(count: int) -> None:
    identities = [{"type": "card", "value": f"C{i}"} for i in range(count)]

    assert error_locations({"identities": identities}) == [("identities",)]


def test_consents_are_only_the_known_purposes() -> None:
    assert error_locations(body(consents={"telepathy": True})) == [
        ("consents", "telepathy", "[key]")
    ]


def test_a_birthday_must_be_a_date() -> None:
    assert error_locations(body(profile={"birthday": "1990-13-01"})) == [("profile", "birthday")]


def test_an_unknown_channel_is_rejected() -> None:
    assert error_locations(body(channel="fax")) == [("channel",)]
