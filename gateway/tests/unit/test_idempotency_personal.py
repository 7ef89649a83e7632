"""What a stored idempotent answer leaves out, and how a replay gets it back."""

from __future__ import annotations

import json

from gateway.edge.idempotency.personal import Omitted, with_echoes, without_personal


def test_a_text_field_that_echoes_the_request_is_not_stored_and_comes_back_from_the_replay() -> (
    None
):
    request = json.dumps({"points": 50, "reason": "call Li Lei on 13800000001"}).encode()
    answer = json.dumps(
        {"adjustment_id": "a1", "points": 50, "reason": "call Li Lei on 13800000001"}
    )

    stored, omitted = without_personal(answer.encode(), request)

    assert b"13800000001" not in stored
    assert omitted == Omitted(echoed=("reason",))
    assert with_echoes(stored, request, omitted.echoed)["reason"] == "call Li Lei on 13800000001"


def test_a_member_answer_is_stored_without_its_personal_fields() -> None:
    answer = {
        "member_id": "m1",
        "status": "active",
        "identities": [{"type": "phone", "value": "+8613800000001"}],
        "profile": {"name": "Li Lei"},
        "consents": {"marketing": True},
        "created": True,
    }

    stored, omitted = without_personal(
        json.dumps(answer).encode(), b"{}", ("identities", "profile", "consents")
    )

    assert b"Li Lei" not in stored
    assert b"13800000001" not in stored
    assert list(json.loads(stored)) == list(answer)
    assert omitted.personal == ("identities", "profile", "consents")


def test_an_answer_with_nothing_personal_is_stored_as_it_was() -> None:
    answer = b'{"order_id": "o1", "points": 10}'

    assert without_personal(answer, b'{"order_id": "o2"}') == (answer, Omitted())


def test_what_was_left_out_survives_the_record() -> None:
    omitted = Omitted(echoed=("reason",), personal=("profile",))

    assert Omitted.from_document(omitted.to_document()) == omitted
    assert Omitted.from_document(None) == Omitted()
