"""POST /v1/admin/members/{member_id}/points/adjustments against the fake points service."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.tests.integration.fakes import FakeServices
from gateway.tests.integration.points_support import enrolled
from gateway.tests.integration.support import Gateway, new_tenant
from libs.ids import new_id


def path_of(member_id: str) -> str:
    return f"/v1/admin/members/{member_id}/points/adjustments"


def an_adjustment(points: object = 150, **fields: Any) -> dict[str, Any]:
    return {"adjustment_id": new_id("ADJ-"), "points": points, "reason": "goodwill", **fields}


async def operator_and_member(gateway: Gateway) -> tuple[dict[str, str], str]:
    tenant = new_tenant()
    operator = await gateway.key(tenant, "operator")
    return operator, await enrolled(gateway, await gateway.key(tenant, "pos", store_id="S001"))


async def test_an_adjustment_answers_201_and_the_same_one_again_200_with_the_first_answer(
    gateway: Gateway, services: FakeServices
) -> None:
    operator, member_id = await operator_and_member(gateway)
    body = an_adjustment(150)

    first = await gateway.client.post(path_of(member_id), json=body, headers=operator)
    again = await gateway.client.post(path_of(member_id), json=body, headers=operator)

    assert (first.status_code, again.status_code) == (201, 200), first.text
    assert again.json() == first.json()
    answer = first.json()
    assert (answer["member_id"], answer["points"], answer["reason"]) == (member_id, 150, "goodwill")
    assert answer["balance"] == {"available": 150, "held": 0}
    assert answer["entry_id"]
    sent, _ = next(iter(services.points.adjustments.values()))
    assert sent.actor.startswith("key:key_")


async def test_the_same_adjustment_id_with_another_body_or_too_large_a_debit_is_a_conflict(
    gateway: Gateway,
) -> None:
    operator, member_id = await operator_and_member(gateway)
    body = an_adjustment(150)
    await gateway.client.post(path_of(member_id), json=body, headers=operator)

    changed = await gateway.client.post(
        path_of(member_id), json={**body, "points": 151}, headers=operator
    )
    overdrawn = await gateway.client.post(
        path_of(member_id), json=an_adjustment(-151), headers=operator
    )

    assert (changed.status_code, changed.json()["code"]) == (409, "adjustment_conflict")
    assert (overdrawn.status_code, overdrawn.json()["code"]) == (409, "insufficient_points")


@pytest.mark.parametrize(
    ("body", "location"),
    [
        (an_adjustment(0), "body.points"),
        (an_adjustment("10"), "body.points"),
        (an_adjustment(10**9 + 1), "body.points"),
        (an_adjustment(5, reason=""), "body.reason"),
        (an_adjustment(5, adjustment_id="has space"), "body.adjustment_id"),
        (an_adjustment(5, surprise=True), "body.surprise"),
        ({"points": 5, "reason": "x"}, "body.adjustment_id"),
    ],
)
async def test_a_malformed_adjustment_is_422_naming_the_field_and_sends_nothing(
    gateway: Gateway, services: FakeServices, body: dict[str, Any], location: str
) -> None:
    operator, member_id = await operator_and_member(gateway)

    answer = await gateway.client.post(path_of(member_id), json=body, headers=operator)

    assert answer.status_code == 422
    assert [e["location"] for e in answer.json()["errors"]] == [location]
    assert services.points.adjustments == {}


async def test_a_touchpoint_key_may_not_adjust_even_with_a_bad_body(gateway: Gateway) -> None:
    pos = await gateway.key(new_tenant(), "pos", store_id="S001")

    answer = await gateway.client.post(path_of("m-1"), content=b"{nope", headers=pos)

    assert (answer.status_code, answer.json()["code"]) == (403, "forbidden")


async def test_a_member_of_another_tenant_is_not_found_and_nothing_is_adjusted(
    gateway: Gateway, services: FakeServices
) -> None:
    _, member_id = await operator_and_member(gateway)
    stranger = await gateway.key(new_tenant(), "operator")

    answer = await gateway.client.post(path_of(member_id), json=an_adjustment(), headers=stranger)

    assert (answer.status_code, answer.json()["code"]) == (404, "member_not_found")
    assert services.points.adjustments == {}
