"""Operators adjust, transfer and reconcile points through the whole running platform."""

from __future__ import annotations

from uuid import uuid4

import httpx

from libs.stack.platform import Stack
from tests.e2e.gateway_support import an_order
from tests.e2e.member_support import as_member
from tests.e2e.points_admin_support import (
    Headers,
    adjusted,
    balance,
    enrol,
    http,
    key,
    ledger,
    operator,
    pos,
)

__all__ = ["http", "operator", "pos"]  # fixtures


async def test_an_operator_credits_and_debits_a_member_once_per_adjustment_id(
    http: httpx.AsyncClient, operator: Headers, pos: Headers
) -> None:
    member_id = await enrol(http, pos)
    path = f"/v1/admin/members/{member_id}/points/adjustments"
    credit = {"adjustment_id": f"ADJ-{uuid4().hex}", "points": 300, "reason": "parcel lost"}

    first = await http.post(path, json=credit, headers=operator)
    again = await http.post(path, json=credit, headers=operator)
    debit = {"adjustment_id": f"ADJ-{uuid4().hex}", "points": -120, "reason": "double credit"}
    debited = await http.post(path, json=debit, headers=operator)
    overdrawn = await http.post(
        path,
        json={**debit, "adjustment_id": f"ADJ-{uuid4().hex}", "points": -181},
        headers=operator,
    )

    assert (first.status_code, again.status_code, debited.status_code) == (201, 200, 201)
    assert again.json() == first.json()
    assert debited.json()["balance"] == {"available": 180, "held": 0}
    assert (overdrawn.status_code, overdrawn.json()["code"]) == (409, "insufficient_points")
    entries = await ledger(http, pos, member_id)
    assert [(e["type"], e["points"]) for e in entries] == [("adjust", -120), ("adjust", 300)]
    assert entries[1]["reason"] == "adjusted by an operator: parcel lost"
    assert (await balance(http, pos, member_id))["available"] == 180


async def test_another_tenants_operator_cannot_adjust_a_member_and_a_till_may_not_at_all(
    http: httpx.AsyncClient, platform_stack: Stack, operator: Headers, pos: Headers
) -> None:
    member_id = await enrol(http, pos)
    await adjusted(http, operator, member_id, 50)
    stranger = key(platform_stack, "sandbox", "operator")
    path = f"/v1/admin/members/{member_id}/points/adjustments"
    body = {"adjustment_id": f"ADJ-{uuid4().hex}", "points": 10, "reason": "x"}

    across = await http.post(path, json=body, headers=stranger)
    till = await http.post(path, json=body, headers=pos)

    assert (across.status_code, across.json()["code"]) == (404, "member_not_found")
    assert (till.status_code, till.json()["code"]) == (403, "forbidden")
    assert (await balance(http, pos, member_id))["available"] == 50


async def test_an_adjustments_file_applies_each_good_row_once_and_reports_the_others(
    http: httpx.AsyncClient, operator: Headers, pos: Headers
) -> None:
    alice, bob = await enrol(http, pos), await enrol(http, pos)
    rows = [f"{alice},400,launch gift", f"{bob},-5,clawback", f"{bob},30,launch gift", "nobody,5,x"]
    file = "member_id,points,reason\n" + "\n".join(rows) + "\n"
    headers = {**operator, "Content-Type": "text/csv", "File-Id": f"F-{uuid4().hex}"}
    path = "/v1/admin/points/adjustments/bulk"

    first = await http.post(path, content=file, headers=headers)
    again = await http.post(path, content=file, headers=headers)

    assert first.status_code == 200, first.text
    assert (first.json()["accepted"], first.json()["already_applied"]) == (2, 0)
    assert [(r["row"], r["code"]) for r in first.json()["rejected"]] == [
        (2, "insufficient_points"),
        (4, "member_not_found"),
    ]
    assert (again.json()["accepted"], again.json()["already_applied"]) == (0, 2)
    assert again.json()["rejected"] == first.json()["rejected"]
    assert (await balance(http, pos, alice))["available"] == 400
    assert (await balance(http, pos, bob))["available"] == 30


async def test_a_file_of_ten_thousand_rows_is_applied_in_one_request(
    http: httpx.AsyncClient, operator: Headers, pos: Headers
) -> None:
    members = [await enrol(http, pos) for _ in range(20)]
    file = "member_id,points,reason\n" + "".join(
        f"{members[n % 20]},{n % 7 + 1},anniversary promotion row {n}\n" for n in range(10_000)
    )
    headers = {**operator, "Content-Type": "text/csv"}

    answer = await http.post(
        "/v1/admin/points/adjustments/bulk", content=file, headers=headers, timeout=300
    )

    assert answer.status_code == 200, answer.text
    assert (answer.json()["accepted"], answer.json()["rejected"]) == (10_000, [])
    expected = sum(n % 7 + 1 for n in range(10_000) if n % 20 == 0)
    assert (await balance(http, pos, members[0]))["available"] == expected


async def test_points_move_between_members_once_and_within_the_daily_limit(
    http: httpx.AsyncClient, platform_stack: Stack, operator: Headers, pos: Headers
) -> None:
    giver, taker = await enrol(http, pos), await enrol(http, pos)
    await adjusted(http, operator, giver, 6000)
    app = await as_member(platform_stack, http, giver)
    gift = {"transfer_id": f"T-{uuid4().hex}", "to_member_id": taker, "points": 4000}
    own = f"/v1/members/{giver}/points/transfers"

    first = await http.post(own, json=gift, headers=app)
    again = await http.post(own, json=gift, headers=app)
    over = await http.post(
        "/v1/admin/points/transfers",
        json={**gift, "transfer_id": f"T-{uuid4().hex}", "from_member_id": giver, "points": 1001},
        headers=operator,
    )

    assert (first.status_code, again.status_code) == (201, 200), first.text
    assert first.json()["to_balance"] == {"available": 4000, "held": 0}
    assert (over.status_code, over.json()["code"]) == (409, "transfer_limit_exceeded")
    assert [e["type"] for e in await ledger(http, pos, giver)] == ["transfer_out", "adjust"]
    [received] = await ledger(http, pos, taker)
    assert (received["type"], received["points"]) == ("transfer_in", 4000)
    assert (await balance(http, pos, giver))["available"] == 2000


async def test_a_transfer_to_another_tenants_member_is_not_found(
    http: httpx.AsyncClient, platform_stack: Stack, operator: Headers, pos: Headers
) -> None:
    giver = await enrol(http, pos)
    await adjusted(http, operator, giver, 100)
    stranger = await enrol(http, key(platform_stack, "sandbox", "pos"))
    body = {"transfer_id": f"T-{uuid4().hex}", "from_member_id": giver, "to_member_id": stranger}

    answer = await http.post(
        "/v1/admin/points/transfers", json={**body, "points": 10}, headers=operator
    )

    assert (answer.status_code, answer.json()["code"]) == (404, "member_not_found")
    assert (await balance(http, pos, giver))["available"] == 100


async def test_reconciliation_finds_no_drifting_member_after_all_of_it(
    http: httpx.AsyncClient, platform_stack: Stack, operator: Headers, pos: Headers
) -> None:
    giver, taker = await enrol(http, pos), await enrol(http, pos)
    await adjusted(http, operator, giver, 500)
    gift = {"transfer_id": f"T-{uuid4().hex}", "from_member_id": giver, "to_member_id": taker}
    await http.post("/v1/admin/points/transfers", json={**gift, "points": 200}, headers=operator)
    held = {"member_id": taker, "points": 150, "store_id": "S001"}
    assert (await http.post("/v1/redemptions", json=held, headers=pos)).status_code == 201

    answer = await http.post("/v1/admin/points/reconciliation", headers=operator)
    till = await http.post("/v1/admin/points/reconciliation", headers=pos)

    assert (answer.status_code, answer.json()) == (200, {"drifting": []})
    assert till.status_code == 403


async def test_operators_see_the_holds_about_to_expire_soonest_first(
    http: httpx.AsyncClient, operator: Headers, pos: Headers
) -> None:
    member_id = await enrol(http, pos)
    await adjusted(http, operator, member_id, 100)

    async def hold(seconds: int, *, capture: bool = False) -> str:
        body = {
            "member_id": member_id,
            "points": 10,
            "store_id": "S001",
            "hold_seconds": seconds,
            "capture": capture,
        }
        answer = await http.post("/v1/redemptions", json=body, headers=pos)
        assert answer.status_code == 201, answer.text
        redemption_id: str = answer.json()["redemption_id"]
        return redemption_id

    later = await hold(1200)
    sooner = await hold(300)
    beyond = await hold(3600)
    captured = await hold(300, capture=True)

    found = await http.get("/v1/admin/holds/expiring?within_minutes=30&limit=200", headers=operator)
    tight = await http.get("/v1/admin/holds/expiring?within_minutes=10&limit=200", headers=operator)
    from_a_till = await http.get("/v1/admin/holds/expiring", headers=pos)
    too_far = await http.get("/v1/admin/holds/expiring?within_minutes=99999", headers=operator)

    assert found.status_code == 200, found.text
    mine = [h for h in found.json()["holds"] if h["member_id"] == member_id]
    assert [h["redemption_id"] for h in mine] == [sooner, later]
    assert (mine[0]["points"], mine[0]["store_id"], mine[0]["channel"]) == (10, "S001", "pos")
    listed = [h["redemption_id"] for h in tight.json()["holds"]]
    assert sooner in listed
    assert {later, beyond, captured}.isdisjoint(listed)
    assert from_a_till.status_code == 403
    assert (too_far.status_code, too_far.json()["code"]) == (422, "validation_error")


async def test_a_members_orders_and_redemptions_are_listed_page_by_page(
    http: httpx.AsyncClient, operator: Headers, pos: Headers
) -> None:
    member_id = await enrol(http, pos)
    order_ids = []
    for n in range(3):
        body = an_order(member_id, total=f"{100 + n}.00")
        answer = await http.post("/v1/orders", json=body, headers=pos)
        assert answer.status_code == 201, answer.text
        order_ids.append(body["order_id"])
    returned = await http.post(
        f"/v1/orders/{order_ids[0]}/returns",
        json={"return_id": f"R-{uuid4().hex}", "amount": "50.00"},
        headers=pos,
    )
    assert returned.status_code == 201, returned.text
    held = await http.post(
        "/v1/redemptions",
        json={"member_id": member_id, "points": 7, "store_id": "S001"},
        headers=pos,
    )
    assert held.status_code == 201, held.text
    path = f"/v1/admin/members/{member_id}"

    first = await http.get(f"{path}/orders?limit=2", headers=operator)
    cursor = first.json()["next_cursor"]
    rest = await http.get(f"{path}/orders", params={"limit": 2, "cursor": cursor}, headers=operator)
    redemptions = await http.get(f"{path}/redemptions", headers=operator)
    unknown = await http.get("/v1/admin/members/mem_missing/orders", headers=operator)
    bad_cursor = await http.get(f"{path}/orders?cursor=nonsense", headers=operator)
    from_a_till = await http.get(f"{path}/orders", headers=pos)

    assert first.status_code == 200, first.text
    listed = [o["order_id"] for o in first.json()["orders"] + rest.json()["orders"]]
    assert listed == order_ids[::-1]
    assert rest.json()["next_cursor"] is None
    oldest = rest.json()["orders"][-1]
    assert (oldest["total"], len(oldest["returns"])) == ("100.00", 1)
    assert [(r["status"], r["points"]) for r in redemptions.json()["redemptions"]] == [("held", 7)]
    assert (unknown.status_code, unknown.json()["code"]) == (404, "member_not_found")
    assert (bad_cursor.status_code, bad_cursor.json()["code"]) == (422, "validation_error")
    assert from_a_till.status_code == 403
