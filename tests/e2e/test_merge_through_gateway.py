"""Merging two members and tiers that follow purchases, through the whole running platform."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import uuid4

import httpx
import pytest

from libs.stack.platform import Stack
from tests.e2e.gateway_support import member_session
from tests.e2e.member_support import key, new_phone
from tests.support.polling import eventually

SHANGHAI = timezone(timedelta(hours=8))
Headers = dict[str, str]


@pytest.fixture
async def http(platform_stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=10) as client:
        yield client


async def enrol(http: httpx.AsyncClient, pos: Headers, phone: str) -> str:
    body = {"store_id": "S001", "identities": [{"type": "phone", "value": phone}]}
    created = await http.post("/v1/members", json=body, headers=pos)
    assert created.status_code == 201, created.text
    member_id: str = created.json()["member_id"]
    return member_id


async def buy(http: httpx.AsyncClient, pos: Headers, total: str, **member: Any) -> dict[str, Any]:
    order = {
        "order_id": f"POS-S001-{uuid4().hex}",
        **member,
        "store_id": "S001",
        "occurred_at": datetime.now(SHANGHAI).isoformat(timespec="seconds"),
        "currency": "CNY",
        "total": total,
        "lines": [{"sku": "BAG-1", "category": "bags", "quantity": 1, "unit_price": total}],
    }
    answer = await http.post("/v1/orders", json=order, headers=pos)
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def test_a_merge_leaves_one_member_with_both_balances_found_by_either_phone(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    pos, operator = key(platform_stack, "demo", "pos"), key(platform_stack, "demo", "operator")
    old_phone = new_phone()
    survivor_id = await enrol(http, pos, new_phone())
    merged_id = await enrol(http, pos, old_phone)
    await buy(http, pos, "398.00", member_id=survivor_id)
    old_order = await buy(http, pos, "250.00", member_id=merged_id)

    merge = await http.post(
        "/v1/members/merge",
        json={"survivor_id": survivor_id, "merged_id": merged_id},
        headers=operator,
    )

    assert merge.status_code == 200, merge.text
    assert merge.json()["member_id"] == survivor_id

    async def survivor_holds_both() -> bool:
        points = await http.get(f"/v1/members/{survivor_id}/points", headers=pos)
        return bool(points.json()["available"] == 648)

    await eventually(survivor_holds_both, within=10)
    gone = await http.get(f"/v1/members/{merged_id}/points", headers=pos)
    found = await http.get(
        "/v1/members/lookup", params={"type": "phone", "value": old_phone}, headers=pos
    )
    merged = (await http.get(f"/v1/members/{merged_id}", headers=pos)).json()
    ledger = await http.get(f"/v1/members/{survivor_id}/points/ledger", headers=pos)
    assert gone.json()["available"] == 0
    assert found.json()["member_id"] == survivor_id
    assert (merged["status"], merged["merged_into"]) == ("merged", survivor_id)
    newest = ledger.json()["entries"][0]
    assert (newest["type"], newest["points"]) == ("merge_in", 250)

    late = await buy(http, pos, "100.00", member_id=merged_id)
    returned = await http.post(
        f"/v1/orders/{old_order['order_id']}/returns",
        json={"return_id": f"R-{uuid4().hex}", "amount": "250.00"},
        headers=pos,
    )
    assert late["member_id"] == survivor_id
    assert returned.status_code == 201, returned.text
    assert returned.json()["balance"]["available"] == 648 + 100 - 250


async def test_a_large_purchase_by_the_app_s_code_makes_the_member_gold_and_shows_progress(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    pos = key(platform_stack, "demo", "pos")
    member_id = await enrol(http, pos, new_phone())
    app = await member_session(http, key(platform_stack, "demo", "app"), member_id)
    before = (await http.get(f"/v1/members/{member_id}/tier-progress", headers=app)).json()
    code = (await http.get(f"/v1/members/{member_id}/code", headers=app)).json()["code"]

    await buy(http, pos, "5200.00", identity={"type": "code", "value": code})

    async def gold() -> bool:
        member = await http.get(f"/v1/members/{member_id}", headers=pos)
        return bool(member.json()["tier"]["code"] == "gold")

    await eventually(gold, within=3)
    after = (await http.get(f"/v1/members/{member_id}/tier-progress", headers=app)).json()
    assert (before["next_tier"]["code"], before["still_needed"]) == ("silver", 1000)
    assert (after["tier"]["code"], after["qualifying_amount"]) == ("gold", 5200)
    assert (after["next_tier"], after["still_needed"]) == (None, 0)
