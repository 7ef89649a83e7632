"""Store-bound callers through the whole platform: a pos key bound to one store and a
store manager of several act only for their stores, also on capture and cancel."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from libs.stack.platform import Stack
from tests.e2e.gateway_support import (
    Headers,
    an_order,
    funded_member,
    held,
    http,
    key,
    new_operator,
    new_phone,
    signed_in,
    store_key,
)

__all__ = ["http"]


@pytest.fixture
def operator(platform_stack: Stack) -> Headers:
    return key(platform_stack, "demo", "operator")


@pytest.fixture
def pos(platform_stack: Stack) -> Headers:
    return key(platform_stack, "demo", "pos")


async def balance(http: httpx.AsyncClient, pos: Headers, member_id: str) -> tuple[int, int]:
    points = (await http.get(f"/v1/members/{member_id}/points", headers=pos)).json()
    return points["available"], points["held"]


@pytest.mark.parametrize("step", ["capture", "cancel"])
async def test_a_pos_key_of_another_store_may_not_capture_or_cancel_a_hold_and_changes_nothing(
    http: httpx.AsyncClient, operator: Headers, step: str
) -> None:
    at_s001 = await store_key(http, operator, "S001")
    at_s002 = await store_key(http, operator, "S002")
    member_id = await funded_member(http, at_s001)
    redemption_id = await held(http, at_s001, member_id, "S001")

    refused = await http.post(f"/v1/redemptions/{redemption_id}/{step}", headers=at_s002)
    after = await balance(http, at_s001, member_id)
    own = await http.post(f"/v1/redemptions/{redemption_id}/{step}", headers=at_s001)

    assert refused.status_code == 403, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "forbidden"
    assert after == (298, 100)
    assert own.status_code == 200, own.text
    assert own.json()["status"] == {"capture": "captured", "cancel": "released"}[step]


async def test_a_store_manager_of_several_stores_acts_at_each_and_at_no_other(
    platform_stack: Stack, http: httpx.AsyncClient, operator: Headers
) -> None:
    manager = await signed_in(http, new_operator(platform_stack, "store_manager", ["S001", "S002"]))
    at_s003 = await store_key(http, operator, "S003")
    member_id = await funded_member(http, at_s003, "S003")
    theirs = await held(http, manager, member_id, "S002", points=10)
    elsewhere = await held(http, at_s003, member_id, "S003", points=20)

    captured = await http.post(f"/v1/redemptions/{theirs}/capture", headers=manager)
    refused = await http.post(f"/v1/redemptions/{elsewhere}/cancel", headers=manager)
    order_elsewhere = await http.post(
        "/v1/orders", json={"store_id": "S003", "member_id": member_id}, headers=manager
    )
    no_store = await http.post(
        "/v1/redemptions", json={"member_id": member_id, "points": 1}, headers=manager
    )

    assert captured.status_code == 200, captured.text
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "forbidden"
    assert order_elsewhere.status_code == 403
    assert no_store.status_code == 422
    assert "store_id" in no_store.json()["detail"]
    assert await balance(http, at_s003, member_id) == (398 - 30, 20)


async def enrolled_with_phone(
    http: httpx.AsyncClient, pos: Headers, store_id: str
) -> tuple[str, str]:
    phone = new_phone()
    body = {"store_id": store_id, "identities": [{"type": "phone", "value": phone}]}
    created = await http.post("/v1/members", json=body, headers=pos)
    assert created.status_code == 201, created.text
    return created.json()["member_id"], phone


async def test_a_store_manager_reads_and_changes_only_members_enrolled_at_their_stores(
    platform_stack: Stack, http: httpx.AsyncClient, operator: Headers, pos: Headers
) -> None:
    manager = await signed_in(http, new_operator(platform_stack, "store_manager", ["S001", "S002"]))
    theirs, their_phone = await enrolled_with_phone(http, pos, "S002")
    other, other_phone = await enrolled_with_phone(http, pos, "S003")

    read = await http.get(f"/v1/members/{theirs}", headers=manager)
    found = await http.get(
        f"/v1/members/lookup?type=phone&value={quote(their_phone)}", headers=manager
    )
    refused = [
        await http.get(f"/v1/members/{other}", headers=manager),
        await http.get(f"/v1/members/{other}/points", headers=manager),
        await http.patch(f"/v1/members/{other}/profile", json={"name": "X"}, headers=manager),
        await http.get(
            f"/v1/members/lookup?type=phone&value={quote(other_phone)}", headers=manager
        ),
    ]
    sold = await http.post("/v1/orders", json=an_order(other, "S001"), headers=manager)
    unchanged = await http.get(f"/v1/members/{other}", headers=operator)

    assert (read.status_code, found.status_code) == (200, 200)
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    assert {r.json()["code"] for r in refused} == {"forbidden"}
    assert sold.status_code == 201, sold.text
    assert unchanged.json()["profile"].get("name") is None
