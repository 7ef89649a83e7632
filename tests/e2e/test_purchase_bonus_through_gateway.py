"""The campaign service hears of the member's birthday from the till's order: a
birthday-month campaign pays on an order of a member born this month, not of another, as
a bonus entry once."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar
from uuid import uuid4
from zoneinfo import ZoneInfo

import httpx

from tests.e2e.points_admin_support import Headers, http, operator, pos
from tests.support.polling import settled

__all__ = ["http", "operator", "pos"]  # fixtures

T = TypeVar("T")
# The demo tenant's time zone, where its months begin and end.
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def enrol(http: httpx.AsyncClient, pos: Headers, birthday: str) -> str:
    body = {
        "store_id": "S001",
        "identities": [{"type": "phone", "value": f"+86139{uuid4().int % 10**8:08d}"}],
        "profile": {"birthday": birthday},
    }
    created = await http.post("/v1/members", json=body, headers=pos)
    assert created.status_code == 201, created.text
    member_id: str = created.json()["member_id"]
    return member_id


async def order(
    http: httpx.AsyncClient, pos: Headers, member_id: str, sku: str, at: datetime
) -> None:
    body = {
        "order_id": f"BDAY-{uuid4().hex}",
        "member_id": member_id,
        "channel": "pos",
        "store_id": "S001",
        "occurred_at": at.isoformat(timespec="seconds"),
        "currency": "CNY",
        "total": "100.00",
        "lines": [{"sku": sku, "category": "e2e", "quantity": 1, "unit_price": "100.00"}],
    }
    answer = await http.post("/v1/orders", json=body, headers=pos)
    assert answer.status_code == 201, answer.text


async def test_a_birthday_month_campaign_pays_the_member_born_this_month_only(
    http: httpx.AsyncClient, operator: Headers, pos: Headers
) -> None:
    now = datetime.now(SHANGHAI)
    # Its own SKU, so that no other test's order meets this campaign.
    sku = f"BDAY-{uuid4().hex[:10]}"
    body = {
        "name": "Birthday month bonus",
        "trigger": "purchase",
        "conditions": {"skus": [sku], "birthday_month": True},
        "effect": {"type": "bonus_points", "points": 77},
    }
    created = await http.post("/v1/admin/campaigns", json=body, headers=operator)
    assert created.status_code == 201, created.text
    campaign_id = created.json()["campaign_id"]
    activated = await http.post(f"/v1/admin/campaigns/{campaign_id}/activate", headers=operator)
    assert activated.status_code == 200, activated.text
    born_now = await enrol(http, pos, f"1990-{now.month:02d}-01")
    born_later = await enrol(http, pos, f"1990-{now.month % 12 + 1:02d}-01")

    await order(http, pos, born_later, sku, now)
    await order(http, pos, born_now, sku, now)

    # Paid with the order, or a moment later from its event if the till's deadline passed.
    celebrated = await settled(lambda: bonuses(http, pos, born_now), bool)
    assert celebrated == [(77, campaign_id)]
    # Events are settled in order: the other member's came first.
    assert await bonuses(http, pos, born_later) == []


async def bonuses(http: httpx.AsyncClient, pos: Headers, member_id: str) -> list[tuple[int, str]]:
    answer = await http.get(f"/v1/members/{member_id}/points/ledger", headers=pos)
    assert answer.status_code == 200, answer.text
    return [
        (e["points"], e["campaign_id"]) for e in answer.json()["entries"] if e["type"] == "bonus"
    ]
