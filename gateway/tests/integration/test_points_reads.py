"""GET /v1/members/{member_id}/points and /ledger against the fake services."""

from __future__ import annotations

from datetime import datetime

import pytest

from gateway.tests.integration.fakes import FakeServices
from gateway.tests.integration.points_support import enrolled, with_points
from gateway.tests.integration.support import Gateway, new_tenant
from libs.ids import new_id


async def test_a_members_points_are_read_with_every_field_of_the_contract(
    gateway: Gateway,
) -> None:
    headers = await gateway.legacy_key(new_tenant(), "app")
    member_id = await with_points(gateway, headers)

    response = await gateway.client.get(f"/v1/members/{member_id}/points", headers=headers)

    assert response.status_code == 200
    assert response.json() == {
        "available": 398,
        "held": 0,
        "pending": 0,
        "lifetime_earned": 398,
        "expiring": [],
    }


async def test_the_ledger_is_read_page_by_page_newest_first(gateway: Gateway) -> None:
    headers = await gateway.legacy_key(new_tenant(), "app")
    member_id = await with_points(gateway, headers)
    hold = await gateway.client.post(
        "/v1/redemptions",
        json={"member_id": member_id, "points": 50, "capture": True},
        headers=headers,
    )
    path = f"/v1/members/{member_id}/points/ledger"

    first = await gateway.client.get(path, params={"limit": 1}, headers=headers)
    cursor = first.json()["next_cursor"]
    second = await gateway.client.get(path, params={"limit": 1, "cursor": cursor}, headers=headers)

    newest, oldest = first.json()["entries"][0], second.json()["entries"][0]
    assert (newest["type"], newest["points"]) == ("redeem", -50)
    assert newest["redemption_id"] == hold.json()["redemption_id"]
    assert (oldest["type"], oldest["points"], oldest["campaign_id"]) == ("earn", 398, None)
    assert oldest["order_id"]
    assert datetime.fromisoformat(oldest["created_at"]).utcoffset() is not None
    assert second.json()["next_cursor"] is None


@pytest.mark.parametrize("suffix", ["/points", "/points/ledger"])
async def test_a_sandbox_key_cannot_read_a_demo_members_points(
    gateway: Gateway, services: FakeServices, suffix: str
) -> None:
    demo = await gateway.key(new_tenant(), "pos", store_id="S001")
    sandbox = await gateway.key(new_tenant(), "pos", store_id="S001")
    member_id = await with_points(gateway, demo)

    response = await gateway.client.get(f"/v1/members/{member_id}{suffix}", headers=sandbox)

    assert response.status_code == 404
    assert response.json()["code"] == "member_not_found"


async def test_an_unknown_members_points_are_not_found(gateway: Gateway) -> None:
    headers = await gateway.legacy_key(new_tenant(), "app")

    response = await gateway.client.get(f"/v1/members/{new_id('mem_')}/points", headers=headers)

    assert (response.status_code, response.json()["code"]) == (404, "member_not_found")


@pytest.mark.parametrize("query", [{"limit": "0"}, {"limit": "201"}, {"cursor": ""}])
async def test_a_ledger_limit_outside_1_to_200_or_an_empty_cursor_is_refused(
    gateway: Gateway, query: dict[str, str]
) -> None:
    headers = await gateway.legacy_key(new_tenant(), "app")
    member_id = await enrolled(gateway, headers)

    response = await gateway.client.get(
        f"/v1/members/{member_id}/points/ledger", params=query, headers=headers
    )

    assert response.status_code == 422
    assert response.json()["detail"].startswith("query.")


async def test_the_ledger_asks_for_fifty_entries_unless_told(
    gateway: Gateway, services: FakeServices
) -> None:
    headers = await gateway.legacy_key(new_tenant(), "app")
    member_id = await enrolled(gateway, headers)

    response = await gateway.client.get(f"/v1/members/{member_id}/points/ledger", headers=headers)

    assert response.json() == {"entries": [], "next_cursor": None}
