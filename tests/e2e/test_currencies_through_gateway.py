"""Several currencies through the whole running platform: the demo tenant earns in CNY;
an operator sets a USD rate, a USD order earns on its converted amount (and meets a
campaign's minimum spend in CNY that its USD amount would miss), keeps its own amount and
the rate, a return reverses in proportion, the sales report counts CNY; an order in a
currency with no rate is refused and changes nothing; rates are imported whole or not at
all, by admins only, and audited."""

from __future__ import annotations

import secrets
import string
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import httpx

from libs.stack.platform import Stack
from tests.e2e.gateway_support import key, new_operator, signed_in
from tests.e2e.points_admin_support import Headers, balance, enrol, http, operator, pos
from tests.e2e.test_order_campaigns_through_gateway import active_campaign
from tests.support.polling import settled

__all__ = ["http", "operator", "pos"]  # fixtures

RATES = "/v1/admin/exchange-rates"


async def unused_currency(http: httpx.AsyncClient, operator: Headers) -> str:
    """A code the demo tenant has no rate of yet (ISO 4217 keeps X.. codes out of national
    use; the bad input cases keep ZZZ, the isolation cases Q..)."""
    listed = await http.get(RATES, headers=operator)
    assert listed.status_code == 200, listed.text
    taken = {rate["currency"] for rate in listed.json()["rates"]}
    while True:
        code = "X" + "".join(secrets.choice(string.ascii_uppercase) for _ in range(2))
        if code not in taken:
            return code


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


async def usd_rate(http: httpx.AsyncClient, operator: Headers, rate: str) -> dict[str, Any]:
    """USD at `rate` from a minute ago: the rate of the orders that follow."""
    body = {"valid_from": (now() - timedelta(minutes=1)).isoformat(), "rate": rate}
    answer = await http.put(f"{RATES}/USD", json=body, headers=operator)
    assert answer.status_code == 200, answer.text
    kept: dict[str, Any] = answer.json()
    return kept


def usd_order(member_id: str, sku: str, total: str = "100.00", quantity: int = 1) -> dict[str, Any]:
    unit_price = str(Decimal(total) / quantity)
    return {
        "order_id": f"FX-{uuid4().hex}",
        "member_id": member_id,
        "store_id": "S001",
        "occurred_at": now().isoformat(),
        "currency": "USD",
        "total": total,
        "lines": [{"sku": sku, "category": "e2e", "quantity": quantity, "unit_price": unit_price}],
    }


async def test_a_usd_order_earns_on_its_cny_amount_keeps_its_own_and_returns_in_proportion(
    http: httpx.AsyncClient, operator: Headers, pos: Headers
) -> None:
    sku = f"FX-{uuid4().hex[:10]}"
    # met by CNY 723.45, missed by USD 100.00: the campaign sees the converted amount
    campaign_id = await active_campaign(
        http, operator, "Big baskets in CNY", {"skus": [sku], "min_total": "500.00"}
    )
    await usd_rate(http, operator, "7.2345")
    member_id = await enrol(http, pos)
    placed_ids: list[str] = []

    async def ordered() -> dict[str, Any]:
        body = usd_order(member_id, sku, quantity=4)
        placed = await http.post("/v1/orders", json=body, headers=pos)
        placed_ids.append(body["order_id"])
        assert placed.status_code == 201, placed.text
        read = await http.get(f"/v1/admin/orders/{body['order_id']}", headers=operator)
        assert read.status_code == 200, read.text
        order: dict[str, Any] = read.json()
        return order

    def evaluated(order: dict[str, Any]) -> bool:
        named = {c["campaign_id"] for c in order["applied"] + order["skipped"]}
        return not order["bonus_pending"] and campaign_id in named

    order = await settled(ordered, evaluated, pause=0.5)

    assert (order["currency"], order["total"]) == ("USD", "100.00")
    conversion = order["conversion"]
    assert (conversion["base_currency"], conversion["base_total"]) == ("CNY", "723.45")
    assert Decimal(conversion["rate"]) == Decimal("7.2345")
    assert [(line["quantity"], line["amount"]) for line in order["lines"]] == [(4, "723.45")]
    base = [line for line in order["breakdown"] if line["source"] == "base"]
    assert [line["points"] for line in base] == [723]
    applied = [a for a in order["applied"] if a["campaign_id"] == campaign_id]
    assert [(a["kind"], a["points"]) for a in applied] == [("points", 30)]

    before = await balance(http, operator, member_id)
    one_of_four = {"return_id": f"RET-{uuid4().hex}", "lines": [{"sku": sku, "quantity": 1}]}
    returned = await http.post(
        f"/v1/orders/{order['order_id']}/returns", json=one_of_four, headers=pos
    )
    assert returned.status_code == 201, returned.text
    assert returned.json()["points_reversed"] == order["points_earned"] // 4
    after = await balance(http, operator, member_id)
    assert after["available"] == before["available"] - order["points_earned"] // 4
    # a return by amount names it in the order's own currency: USD 25.00 is another quarter
    by_amount = {"return_id": f"RET-{uuid4().hex}", "amount": "25.00"}
    again = await http.post(f"/v1/orders/{order['order_id']}/returns", json=by_amount, headers=pos)
    assert again.status_code == 201, again.text
    assert (
        again.json()["points_reversed"] == order["points_earned"] // 2 - order["points_earned"] // 4
    )
    read = await http.get(f"/v1/admin/orders/{order['order_id']}", headers=operator)
    assert read.json()["returned_amount"] == "25.00"

    await sales_of_the_sku_are_in_cny(http, operator, sku, orders=len(placed_ids))


async def sales_of_the_sku_are_in_cny(
    http: httpx.AsyncClient, operator: Headers, sku: str, *, orders: int
) -> None:
    """The analytics read model counts the SKU's sales in CNY: every order placed for it
    (the campaign may have needed several) at 723.45, and the one returned by its lines
    (a return by amount names no SKU) at CNY 180.86, a quarter."""

    async def row() -> dict[str, Any] | None:
        # The last 30 days to the tenant's today (not UTC's: from 16:00 UTC the tenant's
        # Shanghai day is the next one, and the order with it).
        sales = await http.get(
            "/v1/admin/analytics/sales", params={"format": "json"}, headers=operator
        )
        assert sales.status_code == 200, sales.text
        rows = [r for r in sales.json()["by_sku"] if r["sku"] == sku]
        return rows[0] if rows else None

    found = await settled(row, lambda r: r is not None and r["returned"] != "0.00", within=60)
    assert found is not None
    assert Decimal(found["gross"]) == Decimal("723.45") * orders
    assert Decimal(found["returned"]) == Decimal("180.86")


async def test_an_order_in_a_currency_without_a_rate_is_refused_and_changes_nothing(
    http: httpx.AsyncClient, operator: Headers, pos: Headers
) -> None:
    member_id = await enrol(http, pos)
    currency = await unused_currency(http, operator)
    body = usd_order(member_id, "SHOE-1") | {"currency": currency}

    refused = await http.post("/v1/orders", json=body, headers=pos)

    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "no_exchange_rate"
    assert currency in refused.json()["detail"]
    assert (await balance(http, operator, member_id))["lifetime_earned"] == 0
    unknown = await http.get(f"/v1/admin/orders/{body['order_id']}", headers=operator)
    assert unknown.status_code == 404


async def test_a_rate_valid_only_after_the_order_is_not_its_rate(
    http: httpx.AsyncClient, operator: Headers, pos: Headers
) -> None:
    currency = await unused_currency(http, operator)
    later = {"valid_from": (now() + timedelta(hours=1)).isoformat(), "rate": "2"}
    assert (await http.put(f"{RATES}/{currency}", json=later, headers=operator)).is_success
    member_id = await enrol(http, pos)
    body = usd_order(member_id, "SHOE-1") | {"currency": currency}

    refused = await http.post("/v1/orders", json=body, headers=pos)

    assert (refused.status_code, refused.json()["code"]) == (422, "no_exchange_rate")


async def test_a_rates_file_with_a_bad_row_is_refused_whole_and_a_good_one_kept_row_by_row(
    http: httpx.AsyncClient, operator: Headers
) -> None:
    first = await unused_currency(http, operator)
    second = await unused_currency(http, operator)
    while second == first:
        second = await unused_currency(http, operator)
    when = now().isoformat()
    csv_type = {"Content-Type": "text/csv"}
    bad = f"currency,valid_from,rate\n{first},{when},1.5\n{second},{when},0\nCNY,{when},1\n"

    refused = await http.post(f"{RATES}/import", content=bad, headers=operator | csv_type)

    assert refused.status_code == 422, refused.text
    assert [e["location"] for e in refused.json()["errors"]] == ["rows[2].rate", "rows[3].currency"]
    listed = await http.get(RATES, params={"currency": first}, headers=operator)
    assert (listed.status_code, listed.json()["rates"]) == (200, [])

    good = f"currency,valid_from,rate\n{first},{when},1.5\n{second},{when},0.25\n"
    kept = await http.post(f"{RATES}/import", content=good, headers=operator | csv_type)
    again = await http.post(f"{RATES}/import", content=good, headers=operator | csv_type)

    assert kept.status_code == 200, kept.text
    assert [(r["row"], r["currency"], r["outcome"]) for r in kept.json()["rows"]] == [
        (1, first, "created"),
        (2, second, "created"),
    ]
    assert [r["outcome"] for r in again.json()["rows"]] == ["unchanged", "unchanged"]
    listed = await http.get(RATES, params={"currency": second}, headers=operator)
    assert listed.json()["base_currency"] == "CNY"
    assert [(r["rate"], r["set_by"].startswith("key:")) for r in listed.json()["rates"]] == [
        ("0.25", True)
    ]


async def test_only_an_admin_sets_rates_and_each_change_is_audited(
    http: httpx.AsyncClient, platform_stack: Stack
) -> None:
    admin = await signed_in(http, new_operator(platform_stack, "admin"))
    support = await signed_in(http, new_operator(platform_stack, "support"))
    auditor = await signed_in(http, new_operator(platform_stack, "auditor"))
    currency = await unused_currency(http, key(platform_stack, "demo", "operator"))
    body = {"valid_from": now().isoformat(), "rate": "3.5"}

    assert (await http.put(f"{RATES}/{currency}", json=body, headers=support)).status_code == 403
    assert (await http.get(RATES, headers=support)).status_code == 200
    set_ = await http.put(f"{RATES}/{currency}", json=body, headers=admin)
    assert (set_.status_code, set_.json()["outcome"]) == (200, "created")

    async def trail() -> list[dict[str, Any]]:
        found = await http.get(
            "/v1/admin/audit",
            params={"action": "PUT /v1/admin/exchange-rates"},
            headers=auditor,
        )
        assert found.status_code == 200, found.text
        entries: list[dict[str, Any]] = found.json()["entries"]
        return [e for e in entries if any(currency in c["field"] for c in e.get("changes", []))]

    [entry] = await settled(trail, lambda entries: len(entries) == 1)
    assert entry["status"] == 200
    [change] = entry["changes"]
    assert (change.get("before"), change["after"]) == (None, "3.5")


async def test_a_cart_in_another_currency_is_previewed_on_its_converted_amount(
    http: httpx.AsyncClient, operator: Headers, pos: Headers
) -> None:
    await usd_rate(http, operator, "7")
    member_id = await enrol(http, pos)
    cart = usd_order(member_id, "SHOE-1", total="10.00")
    cart.pop("order_id")

    preview = await http.post("/v1/carts/evaluate", json=cart, headers=pos)

    assert preview.status_code == 200, preview.text
    breakdown = preview.json()["points"]["breakdown"]
    assert [line["points"] for line in breakdown if line["source"] == "base"] == [70]
