"""The analytics read model through the whole platform: after a small mixed load of a
tenant of its own (purchases at two stores, a return, redemptions captured, cancelled and
left open, an operator's credit), the liability report equals what the points service's
wallets hold, as reconciliation sums them, and the sales report counts every order; an RFM
cell made a segment holds as many members as the report puts in the cell."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import httpx

from libs.mongo import make_client
from libs.stack.platform import Stack
from services.points.adapters.reconciliation import WalletTotals, drifting_wallets, wallet_totals
from tests.e2e.gateway_support import Headers, an_order, enrol, held, http, new_key, new_phone
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


async def earning_tenant(
    http: httpx.AsyncClient, stack: Stack, prefix: str
) -> tuple[str, Headers, Headers]:
    """A tenant of the test's own with an earning rule: its id, a till's and an operator's
    keys."""
    tenant = f"{prefix}{uuid4().hex[:10]}"
    pos = new_key(stack, tenant, "pos")
    operator = new_key(stack, tenant, "operator")
    rule = {"currency": "CNY", "expiry_policy": "days_after_earning", "expiry_days": 45}
    put = await http.put("/v1/admin/points/settings", json=rule, headers=operator)
    assert put.status_code == 200, put.text
    return tenant, pos, operator


async def point_valued(http: httpx.AsyncClient, operator: Headers, value: str) -> None:
    """The tenant's point value for the analytics reports."""
    valued = await http.put(
        "/v1/admin/analytics/settings", json={"point_value": value}, headers=operator
    )
    assert valued.status_code == 200, valued.text


async def test_the_liability_equals_the_reconciled_wallets_after_a_mixed_load(
    http: httpx.AsyncClient, platform_stack: Stack
) -> None:
    tenant, pos, operator = await earning_tenant(http, platform_stack, "an")
    await point_valued(http, operator, "0.01")

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

    # The last 30 days to the tenant's today (from 16:00 UTC its Shanghai day is the next).
    sales = await http.get("/v1/admin/analytics/sales", params={"format": "json"}, headers=operator)
    assert sales.status_code == 200, sales.text
    total = sales.json()["total"]
    assert (total["orders"], total["returned"]) == (8, "199.00")
    by_store = {
        row["store_id"]: (row["orders"], row["returned"]) for row in sales.json()["by_store"]
    }
    # the return was made with a key bound to no store: it counts at none
    assert by_store == {"S001": (4, "0.00"), "S002": (4, "0.00"), "": (0, "199.00")}


async def test_a_segment_made_of_an_rfm_cell_holds_the_cells_members_and_not_a_refuser(
    http: httpx.AsyncClient, platform_stack: Stack
) -> None:
    _, pos, operator = await earning_tenant(http, platform_stack, "ar")
    refuser = {"store_id": "S001", "identities": [{"type": "phone", "value": new_phone()}]}
    enrolled = await http.post(
        "/v1/members", json={**refuser, "consents": {"profiling": False}}, headers=pos
    )
    assert enrolled.status_code == 201, enrolled.text
    members = {
        "r5f3m3": [await enrol(http, pos), "150.00", "150.00", "150.00"],  # 450.00
        "at-300": [await enrol(http, pos), "100.00", "100.00", "100.00"],  # M3's floor
        "refused": [enrolled.json()["member_id"], "150.00", "150.00", "150.00"],
        "r5f1m3": [await enrol(http, pos), "398.00"],
    }
    for member_id, *totals in members.values():
        for total in totals:
            placed = await http.post(
                "/v1/orders", json=an_order(member_id, "S001", total), headers=pos
            )
            assert placed.status_code == 201, placed.text

    today = date.fromisoformat(
        (await http.get("/v1/admin/analytics/rfm", headers=operator)).json()["range"]["to"]
    )
    year = {"from": (today - timedelta(days=364)).isoformat(), "to": today.isoformat()}

    async def rfm() -> Any:
        return (await http.get("/v1/admin/analytics/rfm", params=year, headers=operator)).json()

    async def bought() -> int:
        rules = {"window_days": 365, "min_orders": 1}
        answer = await http.post(
            "/v1/admin/segments/preview", json={"rules": rules}, headers=operator
        )
        assert answer.status_code == 200, answer.text
        return int(answer.json()["size"])

    report = await settled(rfm, lambda r: r["members"] == 3, within=60)
    await settled(bought, lambda n: n == 4, within=60)  # the campaign service has them all
    cell = {"recency": 5, "frequency": 3, "monetary": 3}
    made = await http.post(
        "/v1/admin/analytics/rfm/segments", json={**cell, "window_days": 365}, headers=operator
    )

    assert made.status_code == 201, made.text
    counted = [
        c["members"]
        for c in report["cells"]
        if (c["recency"], c["frequency"], c["monetary"]) == (5, 3, 3)
    ]
    assert counted == [2]  # the refuser is in no cell
    segment = made.json()
    assert (segment["name"], segment["size"]) == ("RFM R5 F3 M3", 2)
    rules = segment["rules"]
    assert (rules["recency_days"], rules["min_days_since_purchase"]) == (7, None)
    assert (rules["min_orders"], rules["max_orders"], rules["window_days"]) == (3, 4, 365)
    assert (rules["min_spend"], rules["max_spend"], rules["profiling_consent"]) == (
        "300.00",
        "999.99",
        True,
    )


async def test_a_cell_with_a_score_beyond_five_is_refused_naming_the_field(
    http: httpx.AsyncClient, platform_stack: Stack
) -> None:
    operator = new_key(platform_stack, f"ar{uuid4().hex[:10]}", "operator")
    body = {"recency": 6, "frequency": 1, "monetary": 1, "window_days": 30}

    refused = await http.post("/v1/admin/analytics/rfm/segments", json=body, headers=operator)

    assert refused.status_code == 422, refused.text
    assert "recency" in refused.text
    listed = await http.get("/v1/admin/segments", headers=operator)
    assert listed.json()["segments"] == []
