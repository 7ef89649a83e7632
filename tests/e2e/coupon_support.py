"""What the coupon end-to-end tests share: an operator's template, a member, a cart."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import uuid4

import httpx

SHANGHAI = timezone(timedelta(hours=8))
Headers = dict[str, str]
Json = dict[str, Any]


async def template(http: httpx.AsyncClient, operator: Headers, **fields: Any) -> Json:
    body = {
        "name": "CNY 20 off CNY 100",
        "discount": {"kind": "amount_off", "amount": "20.00", "currency": "CNY"},
        "min_total": "100.00",
        "validity": {"days": 30},
        **fields,
    }
    created = await http.post("/v1/admin/coupon-templates", json=body, headers=operator)
    assert created.status_code == 201, created.text
    answer: Json = created.json()
    return answer


async def enrol(http: httpx.AsyncClient, pos: Headers) -> str:
    phone = f"+86137{uuid4().int % 10**8:08d}"
    body = {
        "store_id": "S001",
        "identities": [{"type": "phone", "value": phone}],
        # A campaign's coupon reaches only members who accept marketing.
        "consents": {"marketing": True},
    }
    created = await http.post("/v1/members", json=body, headers=pos)
    assert created.status_code == 201, created.text
    member_id: str = created.json()["member_id"]
    return member_id


async def issue(
    http: httpx.AsyncClient, operator: Headers, member_id: str, template_id: str
) -> Json:
    issued = await http.post(
        f"/v1/admin/members/{member_id}/coupons",
        json={"template_id": template_id, "issue_key": uuid4().hex},
        headers=operator,
    )
    assert issued.status_code == 201, issued.text
    coupon: Json = issued.json()
    return coupon


def cart(member_id: str, total: str, sku: str = "BAG-1") -> Json:
    return {
        "member_id": member_id,
        "store_id": "S001",
        "currency": "CNY",
        "total": total,
        "lines": [{"sku": sku, "category": "bags", "quantity": 1, "unit_price": total}],
    }


def order(member_id: str, total: str, sku: str = "BAG-1") -> Json:
    return {
        **cart(member_id, total, sku),
        "order_id": f"POS-S001-{uuid4().hex}",
        "occurred_at": datetime.now(SHANGHAI).isoformat(timespec="seconds"),
    }
