"""POST /v1/redemptions, /capture and /cancel against the fake points service."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from gateway.tests.integration.fakes import FakeServices
from gateway.tests.integration.points_support import enrolled, with_points
from gateway.tests.integration.support import Gateway, new_tenant
from libs.ids import new_id


def a_redemption(member_id: str, points: int = 100, **fields: Any) -> dict[str, Any]:
    return {"member_id": member_id, "points": points, "order_id": new_id("POS-"), **fields}


async def held(gateway: Gateway, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    member_id = await with_points(gateway, headers)
    answer = await gateway.client.post(
        "/v1/redemptions", json=a_redemption(member_id, **fields), headers=headers
    )
    assert answer.status_code == 201, answer.text
    redemption: dict[str, Any] = answer.json()
    return redemption


async def test_a_hold_answers_201_with_its_expiry_and_the_points_moved_to_held(
    gateway: Gateway, services: FakeServices
) -> None:
    headers = await gateway.key(new_tenant(), "pos", store_id="S001")

    redemption = await held(gateway, headers, hold_seconds=60)

    assert redemption["status"] == "held"
    assert redemption["points"] == 100
    assert redemption["balance"] == {"available": 298, "held": 100}
    expires_at = datetime.fromisoformat(redemption["expires_at"])
    created_at = datetime.fromisoformat(redemption["created_at"])
    assert expires_at - created_at == timedelta(seconds=60)
    sent = services.points.holds[-1]
    assert (sent.channel, sent.store_id, sent.hold_seconds, sent.capture) == (
        "pos",
        "S001",
        60,
        False,
    )


async def test_a_capture_answers_captured_and_again_the_same(gateway: Gateway) -> None:
    headers = await gateway.key(new_tenant(), "app")
    redemption = await held(gateway, headers)
    path = f"/v1/redemptions/{redemption['redemption_id']}/capture"

    first = await gateway.client.post(path, headers=headers)
    again = await gateway.client.post(path, headers=headers)

    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json()["status"] == "captured"
    assert first.json()["balance"] == {"available": 298, "held": 0}
    assert again.json() == first.json()


async def test_a_redemption_with_capture_is_captured_at_once(gateway: Gateway) -> None:
    headers = await gateway.key(new_tenant(), "app")

    redemption = await held(gateway, headers, capture=True)

    assert redemption["status"] == "captured"
    assert redemption["balance"] == {"available": 298, "held": 0}


async def test_cancelling_a_hold_releases_it_and_a_captured_one_is_reversed(
    gateway: Gateway,
) -> None:
    headers = await gateway.key(new_tenant(), "app")
    hold = await held(gateway, headers)
    captured = await held(gateway, headers, capture=True)

    released = await gateway.client.post(
        f"/v1/redemptions/{hold['redemption_id']}/cancel", headers=headers
    )
    reversed_ = await gateway.client.post(
        f"/v1/redemptions/{captured['redemption_id']}/cancel", headers=headers
    )

    assert (released.status_code, released.json()["status"]) == (200, "released")
    assert (reversed_.status_code, reversed_.json()["status"]) == (200, "reversed")
    assert (
        released.json()["balance"]
        == reversed_.json()["balance"]
        == {
            "available": 398,
            "held": 0,
        }
    )


async def test_redeeming_more_than_is_available_is_insufficient_points(gateway: Gateway) -> None:
    headers = await gateway.key(new_tenant(), "app")
    member_id = await with_points(gateway, headers)

    response = await gateway.client.post(
        "/v1/redemptions", json=a_redemption(member_id, points=399), headers=headers
    )

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "insufficient_points"


@pytest.mark.parametrize("step", ["capture", "cancel"])
async def test_an_unknown_redemption_is_redemption_not_found(gateway: Gateway, step: str) -> None:
    headers = await gateway.key(new_tenant(), "app")

    response = await gateway.client.post(
        f"/v1/redemptions/{new_id('red_')}/{step}", headers=headers
    )

    assert (response.status_code, response.json()["code"]) == (404, "redemption_not_found")


async def test_another_tenants_redemption_is_not_found(gateway: Gateway) -> None:
    demo = await gateway.key(new_tenant(), "app")
    sandbox = await gateway.key(new_tenant(), "app")
    redemption = await held(gateway, demo)

    response = await gateway.client.post(
        f"/v1/redemptions/{redemption['redemption_id']}/capture", headers=sandbox
    )

    assert (response.status_code, response.json()["code"]) == (404, "redemption_not_found")


async def test_redeeming_for_a_member_of_another_tenant_is_not_found(
    gateway: Gateway, services: FakeServices
) -> None:
    demo = await gateway.key(new_tenant(), "app")
    sandbox = await gateway.key(new_tenant(), "app")
    member_id = await enrolled(gateway, demo)

    response = await gateway.client.post(
        "/v1/redemptions", json=a_redemption(member_id), headers=sandbox
    )

    assert (response.status_code, response.json()["code"]) == (404, "member_not_found")
    assert services.points.holds == []


@pytest.mark.parametrize(
    ("field", "value"), [("points", "100"), ("points", 0), ("hold_seconds", 10), ("capture", 1)]
)
async def test_a_redemption_with_a_bad_field_is_refused_naming_it(
    gateway: Gateway, field: str, value: object
) -> None:
    headers = await gateway.key(new_tenant(), "app")
    body = {**a_redemption(new_id("mem_")), field: value}

    response = await gateway.client.post("/v1/redemptions", json=body, headers=headers)

    assert response.status_code == 422
    assert response.json()["detail"].startswith(f"body.{field}: ")
