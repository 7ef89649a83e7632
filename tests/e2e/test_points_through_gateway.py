"""Earning, redeeming and returning through the whole running platform, over HTTP.

These need the real points service: enrol through the gateway, then order, read the
balance and ledger, redeem and capture, cancel, and return.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import uuid4

import httpx
import pytest

from libs.stack.platform import Stack

SHANGHAI = timezone(timedelta(hours=8))
Headers = dict[str, str]


def key(stack: Stack, tenant: str, channel: str) -> Headers:
    return {"Authorization": f"Bearer {stack.credentials['tenants'][tenant][channel]}"}


def new_phone() -> str:
    return f"+86136{uuid4().int % 10**8:08d}"


def an_order(**member: Any) -> dict[str, Any]:
    """The order of docs/api.md: 398.00 paid at store S001 now, for `member_id` or `identity`."""
    return {
        "order_id": f"POS-S001-{uuid4().hex}",
        **member,
        "channel": "pos",
        "store_id": "S001",
        "occurred_at": datetime.now(SHANGHAI).isoformat(timespec="seconds"),
        "currency": "CNY",
        "total": "398.00",
        "lines": [
            {"sku": "SHOE-1", "category": "shoes", "quantity": 1, "unit_price": "299.00"},
            {"sku": "SOCK-2", "category": "accessories", "quantity": 1, "unit_price": "99.00"},
        ],
    }


@pytest.fixture
async def http(platform_stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=10) as client:
        yield client


@pytest.fixture
def pos(platform_stack: Stack) -> Headers:
    return key(platform_stack, "demo", "pos")


async def enrol(http: httpx.AsyncClient, pos: Headers, phone: str | None = None) -> str:
    body = {"store_id": "S001", "identities": [{"type": "phone", "value": phone or new_phone()}]}
    created = await http.post("/v1/members", json=body, headers=pos)
    assert created.status_code == 201, created.text
    member_id: str = created.json()["member_id"]
    return member_id


async def order(http: httpx.AsyncClient, pos: Headers, member_id: str) -> dict[str, Any]:
    """A new 398.00 order for the member, as answered."""
    answer = await http.post("/v1/orders", json=an_order(member_id=member_id), headers=pos)
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def ledger(http: httpx.AsyncClient, pos: Headers, member_id: str) -> list[dict[str, Any]]:
    answer = await http.get(f"/v1/members/{member_id}/points/ledger", headers=pos)
    assert answer.status_code == 200, answer.text
    entries: list[dict[str, Any]] = answer.json()["entries"]
    return entries


async def points(http: httpx.AsyncClient, pos: Headers, member_id: str) -> dict[str, Any]:
    answer = await http.get(f"/v1/members/{member_id}/points", headers=pos)
    assert answer.status_code == 200, answer.text
    balance: dict[str, Any] = answer.json()
    return balance


async def assert_ledger_sums_to_balance(
    http: httpx.AsyncClient, pos: Headers, member_id: str
) -> None:
    balance = await points(http, pos, member_id)
    entries = await ledger(http, pos, member_id)
    assert sum(entry["points"] for entry in entries) == balance["available"] + balance["held"]


async def test_an_order_earns_points_shown_in_the_balance_and_the_ledger(
    http: httpx.AsyncClient, pos: Headers
) -> None:
    member_id = await enrol(http, pos)
    sent = an_order(member_id=member_id)

    earned = await http.post("/v1/orders", json=sent, headers=pos)

    assert earned.status_code == 201, earned.text
    answer = earned.json()
    assert (answer["order_id"], answer["member_id"]) == (sent["order_id"], member_id)
    assert answer["points_earned"] == 398
    assert sum(line["points"] for line in answer["breakdown"]) == 398
    assert answer["breakdown"][0]["source"] == "base"
    assert answer["balance"] == {"available": 398, "held": 0}
    balance = await points(http, pos, member_id)
    assert balance["available"] == balance["lifetime_earned"] == 398
    assert (balance["held"], balance["pending"]) == (0, 0)
    [entry] = await ledger(http, pos, member_id)
    assert (entry["type"], entry["points"], entry["order_id"]) == ("earn", 398, sent["order_id"])
    assert entry["reason"]
    assert datetime.fromisoformat(entry["created_at"]).utcoffset() is not None


async def test_a_till_may_name_the_member_by_phone(http: httpx.AsyncClient, pos: Headers) -> None:
    phone = new_phone()
    member_id = await enrol(http, pos, phone)

    earned = await http.post(
        "/v1/orders", json=an_order(identity={"type": "phone", "value": phone}), headers=pos
    )

    assert earned.status_code == 201, earned.text
    assert earned.json()["member_id"] == member_id


async def test_a_retried_order_answers_200_with_the_first_answer_and_credits_once(
    http: httpx.AsyncClient, pos: Headers
) -> None:
    member_id = await enrol(http, pos)
    sent = an_order(member_id=member_id)
    first = await http.post("/v1/orders", json=sent, headers=pos)

    again = await http.post("/v1/orders", json=sent, headers=pos)
    changed = await http.post("/v1/orders", json={**sent, "total": "1.00"}, headers=pos)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert (changed.status_code, changed.json()["code"]) == (409, "order_conflict")
    assert (await points(http, pos, member_id))["available"] == 398


async def test_a_hold_then_capture_writes_one_redeem_entry(
    http: httpx.AsyncClient, pos: Headers
) -> None:
    member_id = await enrol(http, pos)
    await order(http, pos, member_id)
    hold_body = {
        "member_id": member_id,
        "points": 100,
        "order_id": f"POS-{uuid4().hex}",
        "store_id": "S001",
    }

    held = await http.post("/v1/redemptions", json=hold_body, headers=pos)
    assert held.status_code == 201, held.text
    redemption = held.json()
    assert (redemption["status"], redemption["points"]) == ("held", 100)
    assert redemption["balance"] == {"available": 298, "held": 100}
    assert datetime.fromisoformat(redemption["expires_at"]) > datetime.now(SHANGHAI)
    assert (await ledger(http, pos, member_id))[0]["type"] == "earn"
    capture = f"/v1/redemptions/{redemption['redemption_id']}/capture"

    captured = await http.post(capture, headers=pos)
    again = await http.post(capture, headers=pos)

    assert (captured.status_code, captured.json()["status"]) == (200, "captured")
    assert captured.json()["balance"] == {"available": 298, "held": 0}
    assert again.status_code == 200
    assert again.json()["status"] == "captured"
    entries = await ledger(http, pos, member_id)
    assert [(e["type"], e["points"]) for e in entries] == [("redeem", -100), ("earn", 398)]
    await assert_ledger_sums_to_balance(http, pos, member_id)


async def test_cancelling_a_captured_redemption_gives_the_points_back(
    http: httpx.AsyncClient, pos: Headers
) -> None:
    member_id = await enrol(http, pos)
    await order(http, pos, member_id)
    body = {"member_id": member_id, "points": 50, "capture": True, "store_id": "S001"}
    redeemed = (await http.post("/v1/redemptions", json=body, headers=pos)).json()
    assert redeemed["status"] == "captured"

    cancelled = await http.post(f"/v1/redemptions/{redeemed['redemption_id']}/cancel", headers=pos)

    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "reversed")
    assert cancelled.json()["balance"] == {"available": 398, "held": 0}
    types = [entry["type"] for entry in await ledger(http, pos, member_id)]
    assert types == ["redeem_cancel", "redeem", "earn"]
    await assert_ledger_sums_to_balance(http, pos, member_id)


async def test_redeeming_more_than_is_available_is_insufficient_points(
    http: httpx.AsyncClient, pos: Headers
) -> None:
    member_id = await enrol(http, pos)
    await order(http, pos, member_id)

    refused = await http.post(
        "/v1/redemptions",
        json={"member_id": member_id, "points": 399, "store_id": "S001"},
        headers=pos,
    )

    assert (refused.status_code, refused.json()["code"]) == (409, "insufficient_points")
    assert (await points(http, pos, member_id))["available"] == 398


async def test_a_return_reverses_in_proportion_once(http: httpx.AsyncClient, pos: Headers) -> None:
    member_id = await enrol(http, pos)
    order_id = (await order(http, pos, member_id))["order_id"]
    body = {"return_id": f"RET-{uuid4().hex}", "amount": "199.00"}

    returned = await http.post(f"/v1/orders/{order_id}/returns", json=body, headers=pos)
    again = await http.post(f"/v1/orders/{order_id}/returns", json=body, headers=pos)

    assert returned.status_code == 201, returned.text
    assert returned.json()["return_id"] == body["return_id"]
    assert returned.json()["points_reversed"] == 199
    assert returned.json()["balance"] == {"available": 199, "held": 0}
    assert again.status_code == 200
    assert again.json() == returned.json()
    reversal = (await ledger(http, pos, member_id))[0]
    assert (reversal["type"], reversal["points"], reversal["order_id"]) == (
        "reverse",
        -199,
        order_id,
    )
    await assert_ledger_sums_to_balance(http, pos, member_id)


async def test_a_return_of_an_unknown_order_is_order_not_found(
    http: httpx.AsyncClient, pos: Headers
) -> None:
    body = {"return_id": f"RET-{uuid4().hex}", "amount": "1.00"}

    answer = await http.post(f"/v1/orders/POS-{uuid4().hex}/returns", json=body, headers=pos)

    assert (answer.status_code, answer.json()["code"]) == (404, "order_not_found")


async def test_a_sandbox_key_cannot_read_a_demo_members_points(
    platform_stack: Stack, http: httpx.AsyncClient, pos: Headers
) -> None:
    member_id = await enrol(http, pos)
    await order(http, pos, member_id)
    sandbox = key(platform_stack, "sandbox", "pos")

    balance = await http.get(f"/v1/members/{member_id}/points", headers=sandbox)
    entries = await http.get(f"/v1/members/{member_id}/points/ledger", headers=sandbox)

    assert (balance.status_code, balance.json()["code"]) == (404, "member_not_found")
    assert (entries.status_code, entries.json()["code"]) == (404, "member_not_found")


@pytest.mark.parametrize(
    ("shift", "why"),
    [
        (timedelta(hours=2), "may be at most 5 minutes in the future"),
        (-timedelta(days=31), "may be at most 30 days in the past"),
    ],
)
async def test_an_order_outside_the_points_service_s_time_window_is_refused_as_its_field(
    http: httpx.AsyncClient, pos: Headers, shift: timedelta, why: str
) -> None:
    member_id = await enrol(http, pos)
    when = (datetime.now(SHANGHAI) + shift).isoformat(timespec="seconds")
    late = {**an_order(member_id=member_id), "occurred_at": when}

    answer = await http.post("/v1/orders", json=late, headers=pos)

    assert (answer.status_code, answer.json()["code"]) == (422, "validation_error"), answer.text
    assert answer.json()["detail"] == f"body.occurred_at: {why}"
    assert answer.json()["errors"] == [
        # the points service's own refusal of the field: `invalid` (docs/api.md)
        {"location": "body.occurred_at", "message": why, "code": "invalid"}
    ]
    assert await ledger(http, pos, member_id) == []


async def test_a_cart_outside_the_time_window_is_refused_as_its_field(
    http: httpx.AsyncClient, pos: Headers
) -> None:
    member_id = await enrol(http, pos)
    cart = {**an_order(member_id=member_id), "occurred_at": "2020-01-01T10:00:00+08:00"}
    del cart["order_id"]

    answer = await http.post("/v1/carts/evaluate", json=cart, headers=pos)

    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"] == "body.occurred_at: may be at most 30 days in the past"
