"""An operator reads an order through the gateway and sees which campaigns applied and
why the other did not: two purchase campaigns on the order's SKU, one it meets and one
whose minimum total it misses, evaluated by the real campaign service."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import httpx

from tests.e2e.points_admin_support import Headers, enrol, http, operator, pos
from tests.support.polling import settled

__all__ = ["http", "operator", "pos"]  # fixtures


async def active_campaign(
    http: httpx.AsyncClient, operator: Headers, name: str, conditions: dict[str, Any]
) -> str:
    body = {
        "name": name,
        "trigger": "purchase",
        # First in line, so that no other test's campaign can exclude it.
        "priority": 1000,
        "conditions": conditions,
        "effect": {"type": "bonus_points", "points": 30},
    }
    created = await http.post("/v1/admin/campaigns", json=body, headers=operator)
    assert created.status_code == 201, created.text
    campaign_id: str = created.json()["campaign_id"]
    activated = await http.post(f"/v1/admin/campaigns/{campaign_id}/activate", headers=operator)
    assert activated.status_code == 200, activated.text
    return campaign_id


async def ordered_and_read(
    http: httpx.AsyncClient, pos: Headers, operator: Headers, member_id: str, sku: str
) -> dict[str, Any]:
    """A new order of the SKU, as the operator reads it."""
    body = {
        "order_id": f"WHY-{uuid4().hex}",
        "member_id": member_id,
        "channel": "pos",
        "store_id": "S001",
        "occurred_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "currency": "CNY",
        "total": "100.00",
        "lines": [{"sku": sku, "category": "e2e", "quantity": 1, "unit_price": "100.00"}],
    }
    placed = await http.post("/v1/orders", json=body, headers=pos)
    assert placed.status_code == 201, placed.text
    read = await http.get(f"/v1/admin/orders/{body['order_id']}", headers=operator)
    assert read.status_code == 200, read.text
    order: dict[str, Any] = read.json()
    return order


async def test_an_order_shows_the_campaign_that_applied_and_why_the_other_did_not(
    http: httpx.AsyncClient, operator: Headers, pos: Headers
) -> None:
    sku = f"WHY-{uuid4().hex[:10]}"
    met = await active_campaign(http, operator, "Any basket of the SKU", {"skus": [sku]})
    missed = await active_campaign(
        http, operator, "Big baskets of the SKU", {"skus": [sku], "min_total": "500.00"}
    )
    ours = {met, missed}
    member_id = await enrol(http, pos)

    def evaluated_with_both(order: dict[str, Any]) -> bool:
        """In time (not bonus_pending), and after every replica of the campaign service
        has loaded both campaigns (activation reaches them by an event)."""
        named = {c["campaign_id"] for c in order["applied"] + order["skipped"]}
        return not order["bonus_pending"] and ours <= named

    order = await settled(
        lambda: ordered_and_read(http, pos, operator, member_id, sku),
        evaluated_with_both,
        pause=0.5,
    )

    assert [
        (a["campaign_id"], a["kind"], a["points"])
        for a in order["applied"]
        if a["campaign_id"] in ours
    ] == [(met, "points", 30)]
    [skipped] = [s for s in order["skipped"] if s["campaign_id"] in ours]
    assert (skipped["campaign_id"], skipped["reason"]) == (missed, "min_total")
    assert skipped["reason_text"] == "The order's total is below the campaign's minimum."
    assert skipped["campaign_version"] >= 1
    assert (order["member_id"], order["store_id"], order["total"]) == (member_id, "S001", "100.00")
    assert order["points_earned"] == sum(line["points"] for line in order["breakdown"])


async def test_an_order_the_tenant_does_not_have_is_not_found(
    http: httpx.AsyncClient, operator: Headers
) -> None:
    read = await http.get(f"/v1/admin/orders/WHY-{uuid4().hex}", headers=operator)
    assert read.status_code == 404
    assert read.json()["code"] == "order_not_found"
