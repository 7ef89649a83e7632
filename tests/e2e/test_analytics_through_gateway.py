"""The analytics read model through the whole platform: after a small mixed load of a
tenant of its own (purchases at two stores, a return, redemptions captured, cancelled and
left open, an operator's credit), the liability report equals what the points service's
wallets hold, as reconciliation sums them, and the sales report counts every order."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

import httpx

from libs.mongo import make_client
from libs.stack.platform import Stack
from services.points.adapters.reconciliation import WalletTotals, drifting_wallets, wallet_totals
from tests.e2e.gateway_support import Headers, an_order, enrol, held, http, new_key
from tests.support.polling import settled

__all__ = ["http"]  # the fixture
POINTS_DB = "loyalty_points"


async def mixed_load(http: httpx.AsyncClient, pos: Headers, operator: Headers) -> None:
    members = [await enrol(http, pos, store) for store in ("S001", "S001", "S002", "S002")]
    orders = []
    for n, member_id in enumerate(members):
        for total in ("398.00", f"{100 + n}.50"):
            store = "S001" if n < 2 else "S002"
            placed = await http.post(
                "/v1/orders", json=an_order(member_id, store, total), headers=pos
            )
            assert placed.status_code == 201, placed.text
            orders.append(placed.json()["order_id"])
    body = {"return_id": f"RET-{uuid4().hex}", "amount": "199.00"}
    returned = await http.post(f"/v1/orders/{orders[0]}/returns", json=body, headers=pos)
    assert returned.status_code == 201, returned.text
    captured = await held(http, pos, members[1], "S001", points=120)
    assert (await http.post(f"/v1/redemptions/{captured}/capture", headers=pos)).status_code == 200
    cancelled = await held(http, pos, members[2], "S002", points=30)
    assert (await http.post(f"/v1/redemptions/{cancelled}/cancel", headers=pos)).status_code == 200
    await held(http, pos, members[3], "S002", points=45)  # left open
    credit = {"adjustment_id": f"ADJ-{uuid4().hex}", "points": 25, "reason": "goodwill"}
    adjusted = await http.post(
        f"/v1/admin/members/{members[0]}/points/adjustments", json=credit, headers=operator
    )
    assert adjusted.status_code == 201, adjusted.text


async def reconciled(stack: Stack, tenant: str) -> WalletTotals:
    client = make_client(stack.urls["mongo"], app_name="e2e-analytics-reconcile")
    try:
        db = client[POINTS_DB]
        assert [d async for d in drifting_wallets(db, tenant)] == []
        return (await wallet_totals(db, tenant))[tenant]
    finally:
        await client.close()


async def test_the_liability_equals_the_reconciled_wallets_after_a_mixed_load(
    http: httpx.AsyncClient, platform_stack: Stack
) -> None:
    tenant = f"an{uuid4().hex[:10]}"
    pos = new_key(platform_stack, tenant, "pos")
    operator = new_key(platform_stack, tenant, "operator")
    rule = {"currency": "CNY", "expiry_policy": "days_after_earning", "expiry_days": 45}
    put = await http.put("/v1/admin/points/settings", json=rule, headers=operator)
    assert put.status_code == 200, put.text
    valued = await http.put(
        "/v1/admin/analytics/settings", json={"point_value": "0.01"}, headers=operator
    )
    assert valued.status_code == 200, valued.text

    await mixed_load(http, pos, operator)
    wallets = await reconciled(platform_stack, tenant)

    async def liability() -> Any:
        answer = await http.get("/v1/admin/analytics/liability", headers=operator)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def agrees(found: Any) -> bool:
        return (found["available"], found["held"], found["pending"]) == (
            wallets.available,
            wallets.held,
            wallets.pending,
        )

    found = await settled(liability, agrees, within=60)
    outstanding = wallets.available + wallets.held + wallets.pending
    assert wallets.held == 45
    assert (found["outstanding"], found["members"]) == (outstanding, wallets.wallets)
    assert found["outstanding_value"] == str(Decimal(outstanding) * Decimal("0.01"))
    # every earned lot expires within 45 days: all of the available is expiring by 60
    expiring = {e["days"]: e["points"] for e in found["expiring"]}
    assert expiring[60] == expiring[90] > 0

    today = datetime.now(UTC).date().isoformat()
    sales = await http.get(
        "/v1/admin/analytics/sales", params={"to": today, "format": "json"}, headers=operator
    )
    assert sales.status_code == 200, sales.text
    total = sales.json()["total"]
    assert (total["orders"], total["returned"]) == (8, "199.00")
    by_store = {
        row["store_id"]: (row["orders"], row["returned"]) for row in sales.json()["by_store"]
    }
    # the return was made with a key bound to no store: it counts at none
    assert by_store == {"S001": (4, "0.00"), "S002": (4, "0.00"), "": (0, "199.00")}
