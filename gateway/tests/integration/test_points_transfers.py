"""Transfers over HTTP: an operator's, and a member's own from the app."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.tests.integration.fakes import FakeServices
from gateway.tests.integration.points_support import enrolled, with_points
from gateway.tests.integration.support import Gateway, new_tenant
from libs.ids import new_id

ADMIN_PATH = "/v1/admin/points/transfers"


def member_path(member_id: str) -> str:
    return f"/v1/members/{member_id}/points/transfers"


def a_transfer(to_member_id: str, points: object = 100, **fields: Any) -> dict[str, Any]:
    return {"transfer_id": new_id("T-"), "to_member_id": to_member_id, "points": points, **fields}


async def two_members(gateway: Gateway) -> tuple[str, str, str]:
    """A tenant, a member with 398 points and one without."""
    tenant = new_tenant()
    app = await gateway.legacy_key(tenant, "app")
    return tenant, await with_points(gateway, app), await enrolled(gateway, app)


async def test_an_operator_moves_points_once_per_transfer_id(
    gateway: Gateway, services: FakeServices
) -> None:
    tenant, giver, taker = await two_members(gateway)
    operator = await gateway.key(tenant, "operator")
    body = a_transfer(taker, 150, from_member_id=giver, reason="family")

    first = await gateway.client.post(ADMIN_PATH, json=body, headers=operator)
    again = await gateway.client.post(ADMIN_PATH, json=body, headers=operator)

    assert (first.status_code, again.status_code) == (201, 200), first.text
    assert again.json() == first.json()
    answer = first.json()
    assert (answer["from_member_id"], answer["to_member_id"], answer["points"]) == (
        giver,
        taker,
        150,
    )
    assert (answer["from_balance"]["available"], answer["to_balance"]["available"]) == (248, 150)
    [(sent, _)] = services.points.transfers.values()
    assert (sent.reason, sent.actor.startswith("key:")) == ("family", True)


async def test_a_member_gives_points_from_the_app_and_a_till_may_not(
    gateway: Gateway, services: FakeServices
) -> None:
    tenant, giver, taker = await two_members(gateway)
    app = await gateway.legacy_key(tenant, "app")
    pos = await gateway.key(tenant, "pos", store_id="S001")
    operator = await gateway.key(tenant, "operator")

    given = await gateway.client.post(member_path(giver), json=a_transfer(taker, 98), headers=app)
    till = await gateway.client.post(member_path(giver), json=a_transfer(taker, 1), headers=pos)
    desk = await gateway.client.post(
        member_path(giver), json=a_transfer(taker, 1), headers=operator
    )

    assert given.status_code == 201, given.text
    assert (given.json()["from_member_id"], given.json()["to_balance"]["available"]) == (giver, 98)
    assert (till.status_code, desk.status_code) == (403, 403)
    assert len(services.points.transfers) == 1


async def test_too_large_a_transfer_is_a_conflict_and_a_stranger_is_not_found(
    gateway: Gateway, services: FakeServices
) -> None:
    tenant, giver, taker = await two_members(gateway)
    app = await gateway.legacy_key(tenant, "app")
    _, stranger, _ = await two_members(gateway)

    too_much = await gateway.client.post(
        member_path(giver), json=a_transfer(taker, 399), headers=app
    )
    across = await gateway.client.post(member_path(giver), json=a_transfer(stranger), headers=app)
    from_across = await gateway.client.post(
        member_path(stranger), json=a_transfer(taker), headers=app
    )

    assert (too_much.status_code, too_much.json()["code"]) == (409, "insufficient_points")
    assert (across.status_code, across.json()["code"]) == (404, "member_not_found")
    assert (from_across.status_code, from_across.json()["code"]) == (404, "member_not_found")
    assert services.points.transfers == {}


@pytest.mark.parametrize(
    ("changes", "location"),
    [
        ({"points": 0}, "body.points"),
        ({"points": "5"}, "body.points"),
        ({"to_member_id": ""}, "body.to_member_id"),
        ({"transfer_id": "with space"}, "body.transfer_id"),
        ({"reason": "x" * 201}, "body.reason"),
        ({"from_member_id": None}, "body.from_member_id"),
    ],
)
async def test_a_malformed_transfer_is_422_naming_the_field_and_moves_nothing(
    gateway: Gateway, services: FakeServices, changes: dict[str, Any], location: str
) -> None:
    tenant, giver, taker = await two_members(gateway)
    operator = await gateway.key(tenant, "operator")
    body = {**a_transfer(taker, from_member_id=giver), **changes}
    body = {name: value for name, value in body.items() if value is not None}

    answer = await gateway.client.post(ADMIN_PATH, json=body, headers=operator)

    assert answer.status_code == 422
    assert [e["location"] for e in answer.json()["errors"]] == [location]
    assert services.points.transfers == {}
