"""Helpers for the integration tests of the points endpoints."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from gateway.tests.integration.support import Gateway, new_phone
from libs.ids import new_id

SHANGHAI = timezone(timedelta(hours=8))


def moment(delta: timedelta = timedelta(0)) -> str:
    """Now plus `delta`, as a till in Shanghai writes it."""
    return (datetime.now(SHANGHAI) + delta).isoformat(timespec="seconds")


def new_order_id() -> str:
    return f"POS-S001-{new_id()}"


def an_order(member_id: str | None = None, **fields: Any) -> dict[str, Any]:
    """The order of docs/api.md (398.00 paid); `None` for a field leaves it out."""
    document: dict[str, Any] = {
        "order_id": new_order_id(),
        "member_id": member_id,
        "channel": "pos",
        "store_id": "S001",
        "occurred_at": moment(),
        "currency": "CNY",
        "total": "398.00",
        "lines": [
            {"sku": "SHOE-1", "category": "shoes", "quantity": 1, "unit_price": "299.00"},
            {"sku": "SOCK-2", "category": "accessories", "quantity": 1, "unit_price": "99.00"},
        ],
    }
    document.update(fields)
    return {name: value for name, value in document.items() if value is not None}


async def enrolled(gateway: Gateway, headers: dict[str, str], phone: str | None = None) -> str:
    """A new member of the key's tenant; its id."""
    body = {"identities": [{"type": "phone", "value": phone or new_phone()}], "store_id": "S001"}
    answer = await gateway.client.post("/v1/members", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    member_id: str = answer.json()["member_id"]
    return member_id


async def with_points(gateway: Gateway, headers: dict[str, str]) -> str:
    """A new member who has earned 398 points, in the key's channel."""
    member_id = await enrolled(gateway, headers)
    order = an_order(member_id, channel=None)
    answer = await gateway.client.post("/v1/orders", json=order, headers=headers)
    assert answer.status_code == 201, answer.text
    return member_id
