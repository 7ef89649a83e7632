"""Who may undo a burn, and who returned what (issue 15, item 4), through the whole
platform: a captured redemption is reversed only by the channel and store that captured
it, or by an operator with the right; a return records the channel, store and key."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from libs.stack.platform import Stack
from tests.e2e.gateway_support import (
    Headers,
    an_order,
    bearer,
    enrol,
    http,
    key,
    new_operator,
    signed_in,
)

__all__ = ["http"]


@pytest.fixture
def operator(platform_stack: Stack) -> Headers:
    return key(platform_stack, "demo", "operator")


async def a_key(http: httpx.AsyncClient, operator: Headers, **body: str) -> tuple[Headers, str]:
    """A new key of the demo tenant, and its id."""
    made = await http.post("/v1/admin/keys", json=body, headers=operator)
    assert made.status_code == 201, made.text
    return bearer(made.json()["secret"]), made.json()["key"]["key_id"]


async def captured(http: httpx.AsyncClient, till: Headers, store_id: str) -> tuple[str, str]:
    """A member who earned 398 points at `store_id` and redeemed 100 of them there."""
    member_id = await enrol(http, till, store_id)
    earned = await http.post("/v1/orders", json=an_order(member_id, store_id), headers=till)
    assert earned.status_code == 201, earned.text
    body = {"member_id": member_id, "points": 100, "store_id": store_id, "capture": True}
    redeemed = await http.post("/v1/redemptions", json=body, headers=till)
    assert redeemed.status_code == 201, redeemed.text
    return member_id, redeemed.json()["redemption_id"]


async def available(http: httpx.AsyncClient, headers: Headers, member_id: str) -> Any:
    return (await http.get(f"/v1/members/{member_id}/points", headers=headers)).json()["available"]


@pytest.mark.parametrize("other", ["ecommerce", "app"])
async def test_a_captured_redemption_is_not_reversed_from_another_channel_and_nothing_changes(
    platform_stack: Stack, http: httpx.AsyncClient, operator: Headers, other: str
) -> None:
    till, _ = await a_key(http, operator, channel="pos", store_id="S001")
    member_id, redemption_id = await captured(http, till, "S001")

    refused = await http.post(
        f"/v1/redemptions/{redemption_id}/cancel", headers=key(platform_stack, "demo", other)
    )
    after = await available(http, till, member_id)
    own = await http.post(f"/v1/redemptions/{redemption_id}/cancel", headers=till)

    assert refused.status_code == 403, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "reversal_not_allowed"
    assert after == 298
    assert (own.status_code, own.json()["status"]) == (200, "reversed")
    assert await available(http, till, member_id) == 398


async def test_support_reverses_a_captured_redemption_of_any_store_and_a_marketer_may_not(
    platform_stack: Stack, http: httpx.AsyncClient, operator: Headers
) -> None:
    till, _ = await a_key(http, operator, channel="pos", store_id="S001")
    member_id, redemption_id = await captured(http, till, "S001")
    support = await signed_in(http, new_operator(platform_stack, "support"))
    marketer = await signed_in(http, new_operator(platform_stack, "marketer"))
    path = f"/v1/admin/redemptions/{redemption_id}/reversal"

    not_theirs = await http.post(path, headers=marketer)
    reversed_ = await http.post(path, headers=support)
    again = await http.post(path, headers=support)

    assert (not_theirs.status_code, not_theirs.json()["code"]) == (403, "forbidden")
    assert (reversed_.status_code, reversed_.json()["status"]) == (200, "reversed"), reversed_.text
    assert again.json() == reversed_.json()
    assert await available(http, till, member_id) == 398


async def test_the_tenant_admin_still_reverses_through_the_tills_cancel(
    http: httpx.AsyncClient, operator: Headers
) -> None:
    till, _ = await a_key(http, operator, channel="pos", store_id="S001")
    _, redemption_id = await captured(http, till, "S001")

    reversed_ = await http.post(f"/v1/redemptions/{redemption_id}/cancel", headers=operator)

    assert (reversed_.status_code, reversed_.json()["status"]) == (200, "reversed"), reversed_.text


async def test_a_return_records_its_channel_store_and_key_and_a_bound_key_names_only_its_store(
    http: httpx.AsyncClient, operator: Headers
) -> None:
    till, _ = await a_key(http, operator, channel="pos", store_id="S001")
    returns_desk, desk_key_id = await a_key(http, operator, channel="pos", store_id="S002")
    member_id = await enrol(http, till, "S001")
    order = an_order(member_id, "S001")
    assert (await http.post("/v1/orders", json=order, headers=till)).status_code == 201
    path = f"/v1/orders/{order['order_id']}/returns"

    elsewhere = await http.post(
        path,
        json={"return_id": "RET-x", "amount": "99.00", "store_id": "S001"},
        headers=returns_desk,
    )
    returned = await http.post(
        path, json={"return_id": f"RET-{member_id}", "amount": "99.00"}, headers=returns_desk
    )
    detail = await http.get(f"/v1/admin/orders/{order['order_id']}", headers=operator)

    assert (elsewhere.status_code, elsewhere.json()["code"]) == (403, "forbidden")
    assert returned.status_code == 201, returned.text
    [recorded] = detail.json()["returns"]
    assert (recorded["channel"], recorded["store_id"], recorded["key_id"]) == (
        "pos",
        "S002",
        desk_key_id,
    )
