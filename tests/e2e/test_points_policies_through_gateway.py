"""A tenant's points policies through the whole running platform: expiry at the end of a
month in its time zone, returns capped at zero. They change the sandbox tenant's settings
and put them back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import uuid4

import httpx
import pytest

from libs.stack.platform import Stack
from tests.e2e.points_admin_support import Headers, adjusted, enrol, http, key

__all__ = ["http"]  # fixtures

SHANGHAI = timezone(timedelta(hours=8))
SETTINGS = "/v1/admin/points/settings"


@pytest.fixture
async def sandbox(http: httpx.AsyncClient, platform_stack: Stack) -> AsyncIterator[Headers]:
    """The sandbox tenant's operator key; its settings as they were come back afterwards."""
    operator = key(platform_stack, "sandbox", "operator")
    before = await http.get(SETTINGS, headers=operator)
    assert before.status_code == 200, before.text
    yield operator
    original = {k: v for k, v in before.json().items() if k != "version"}
    restored = await http.put(SETTINGS, json=original, headers=operator)
    assert restored.status_code == 200, restored.text


async def settings_with(http: httpx.AsyncClient, operator: Headers, **changes: Any) -> None:
    current = (await http.get(SETTINGS, headers=operator)).json()
    body = {k: v for k, v in current.items() if k != "version"} | changes
    changed = await http.put(SETTINGS, json=body, headers=operator)
    assert changed.status_code == 200, changed.text
    assert changed.json()["version"] == current["version"] + 1


async def test_a_tenants_expiry_policy_dates_new_points_at_the_end_of_a_month_there(
    http: httpx.AsyncClient, platform_stack: Stack, sandbox: Headers
) -> None:
    await settings_with(http, sandbox, expiry_policy="end_of_month", expiry_months=1)
    member_id = await enrol(http, key(platform_stack, "sandbox", "pos"))
    await adjusted(http, sandbox, member_id, 250)

    answer = await http.get(
        f"/v1/members/{member_id}/points/expiring", params={"days": 62}, headers=sandbox
    )

    assert answer.status_code == 200, answer.text
    [lot] = answer.json()["expiring"]
    expires = datetime.fromisoformat(lot["expires_at"]).astimezone(SHANGHAI)
    next_month = (datetime.now(SHANGHAI).replace(day=1) + timedelta(days=32)).replace(day=1)
    assert (expires.year, expires.month) == (next_month.year, next_month.month)
    assert (expires + timedelta(seconds=1)).day == 1
    assert (expires.hour, expires.minute, expires.second) == (23, 59, 59)
    assert (lot["points"], answer.json()["points"]) == (250, 250)


async def test_a_tenant_capping_returns_at_zero_answers_the_shortfall_not_a_debt(
    http: httpx.AsyncClient, platform_stack: Stack, sandbox: Headers
) -> None:
    await settings_with(http, sandbox, return_shortfall="cap_at_zero")
    pos = key(platform_stack, "sandbox", "pos")
    member_id = await enrol(http, pos)
    order = {
        "order_id": f"POS-S001-{uuid4().hex}",
        "member_id": member_id,
        "store_id": "S001",
        "occurred_at": datetime.now(SHANGHAI).isoformat(timespec="seconds"),
        "currency": "CNY",
        "total": "100.00",
        "lines": [{"sku": "SHOE-1", "category": "shoes", "quantity": 1, "unit_price": "100.00"}],
    }
    earned = await http.post("/v1/orders", json=order, headers=pos)
    assert earned.status_code == 201, earned.text
    spent = {"member_id": member_id, "points": 80, "store_id": "S001", "capture": True}
    assert (await http.post("/v1/redemptions", json=spent, headers=pos)).status_code == 201

    returned = await http.post(
        f"/v1/orders/{order['order_id']}/returns",
        json={"return_id": f"RET-{order['order_id']}", "amount": "100.00"},
        headers=pos,
    )

    assert returned.status_code == 201, returned.text
    assert (returned.json()["points_reversed"], returned.json()["shortfall"]) == (20, 80)
    assert returned.json()["balance"] == {"available": 0, "held": 0}
