"""The virtual till (`/till`) in a real browser: a till signed in with a store-bound POS key
identifies a member by the code their app shows, rings up a sale with a coupon and points
held then captured at payment, shows the receipt (checked against the API) and takes the
points back on a return; a store manager does the same in Chinese, found by phone, and
enrols a new shopper at the counter. Every call shows in the API panel; axe finds nothing
serious."""

from __future__ import annotations

from typing import Any

import httpx

from libs.stack.platform import Stack
from tests.e2e.console_browser import (  # noqa: F401  (fixtures)
    browser_fixture,
    new_tab,
    serious_violations,
)
from tests.e2e.coupon_support import issue, template
from tests.e2e.gateway_support import (
    Headers,
    an_order,
    key,
    member_session,
    new_operator,
    new_phone,
    signed_in,
    store_key,
)
from tests.e2e.till_browser import (
    api_calls,
    identify,
    number,
    open_till_as_operator,
    open_till_with_key,
    ring_up,
    sell_with_coupon_and_points,
)

Json = dict[str, Any]


async def a_shopper(http: httpx.AsyncClient, pos: Headers, admin: Headers) -> tuple[str, str, Json]:
    """A member of store S001 with 398 points and a coupon (CNY 20 off CNY 100): their id,
    phone and coupon."""
    phone = new_phone()
    body = {"store_id": "S001", "identities": [{"type": "phone", "value": phone}]}
    created = await http.post("/v1/members", json=body, headers=pos)
    assert created.status_code == 201, created.text
    member_id: str = created.json()["member_id"]
    earned = await http.post("/v1/orders", json=an_order(member_id), headers=pos)
    assert earned.status_code == 201, earned.text
    coupon = await issue(http, admin, member_id, (await template(http, admin))["template_id"])
    return member_id, phone, coupon


async def points(http: httpx.AsyncClient, headers: Headers, member_id: str) -> Json:
    answer = await http.get(f"/v1/members/{member_id}/points", headers=headers)
    assert answer.status_code == 200, answer.text
    found: Json = answer.json()
    return found


async def test_a_till_with_a_store_key_sells_with_a_coupon_and_held_points_then_takes_a_return(
    platform_stack: Stack, browser: Any
) -> None:
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        admin = await signed_in(http, new_operator(platform_stack, "admin"))
        pos = await store_key(http, admin, "S001")
        member_id, _, coupon = await a_shopper(http, pos, admin)
        # the member's app shows the code, with the session its backend minted
        app = await member_session(http, key(platform_stack, "demo", "app"), member_id)
        code = (await http.get(f"/v1/members/{member_id}/code", headers=app)).json()["code"]
        secret = pos["Authorization"].removeprefix("Bearer ")
        tab = await new_tab(browser, platform_stack)

        await open_till_with_key(tab, secret)
        signed_in_violations = await serious_violations(tab)
        await identify(tab, "code", code, member_id)
        await ring_up(tab, "SHOE-1", "shoes", 1, "299.00")
        await ring_up(tab, "SOCK-2", "accessories", 2, "49.50")
        receipt = await sell_with_coupon_and_points(tab, coupon["code"], 100)
        receipt_violations = await serious_violations(tab)
        after_sale = await points(http, pos, member_id)
        coupons = (await http.get(f"/v1/members/{member_id}/coupons", headers=pos)).json()
        await tab.click("#receipt-return")
        await tab.click("#return-submit")
        await tab.wait_for_selector("#return-points")
        reversed_points = number(await tab.text_content("#return-points"))
        return_balance = number(await tab.text_content("#return-balance"))
        after_return = await points(http, pos, member_id)
        calls = await api_calls(tab)
        await tab.select_option("#language", "zh-CN")  # switched without a reload
        await tab.wait_for_function(
            "() => document.querySelector('#receipt-card')?.textContent.includes('获得积分')"
        )
        switched = await tab.text_content("#cart-title")
        stored = await tab.evaluate(
            "() => ({ session: Object.values(sessionStorage), local: localStorage.length,"
            " url: location.href, page: document.documentElement.outerHTML })"
        )

    assert receipt["to_pay"] == "CN¥378.00"  # 299.00 + 2 * 49.50 - 20.00, to the cent
    assert receipt["preview_points"] > 0
    assert receipt["redeemed"] == 100
    assert receipt["earned"] > 0
    assert receipt["balance"] == after_sale["available"] == 398 - 100 + receipt["earned"]
    assert [c["state"] for c in coupons["coupons"] if c["code"] == coupon["code"]] == ["redeemed"]
    assert reversed_points == receipt["earned"]  # the whole sale came back
    assert return_balance == after_return["available"] == receipt["balance"] - reversed_points
    for call in (
        "GET /v1/members/lookup",
        "POST /v1/carts/evaluate",
        "POST /v1/coupons/validate",
        "POST /v1/redemptions →",
        "/capture",
        "POST /v1/coupons/redeem",
        "POST /v1/orders →",
        f"POST /v1/orders/{receipt['order_id']}/returns",
    ):
        assert any(call in line for line in calls), (call, calls)
    assert all(line.split("→ ")[1].startswith("20") for line in calls), calls
    assert stored["session"]
    assert secret in stored["session"]
    assert stored["local"] == 0
    assert switched == "本单商品"
    assert secret not in stored["url"]
    assert secret not in stored["page"]
    assert signed_in_violations == []
    assert receipt_violations == []


async def test_a_store_manager_sells_in_chinese_and_enrols_a_new_shopper_at_the_counter(
    platform_stack: Stack, browser: Any
) -> None:
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        admin = await signed_in(http, new_operator(platform_stack, "admin"))
        pos = await store_key(http, admin, "S001")
        member_id, phone, coupon = await a_shopper(http, pos, admin)
        tab = await new_tab(browser, platform_stack, language="zh-CN")

        await open_till_as_operator(tab, new_operator(platform_stack, "store_manager", ["S001"]))
        heading = await tab.text_content("#cart-title")
        await identify(tab, "phone", phone, member_id)
        await ring_up(tab, "BAG-1", "bags", 1, "120.00")
        receipt = await sell_with_coupon_and_points(tab, coupon["code"], 50)
        receipt_text = await tab.text_content("#receipt-card")
        violations = await serious_violations(tab)
        after_sale = await points(http, pos, member_id)
        await tab.click("#next-sale")
        newcomer = new_phone()
        await tab.click("#enrol-open")
        await tab.fill("#enrol-phone", newcomer)
        await tab.fill("#enrol-name", "韩梅梅")
        await tab.check("#enrol-marketing")
        await tab.click("#enrol-submit")
        await tab.wait_for_function(
            "() => document.querySelector('#shopper .member-name')?.textContent === '韩梅梅'"
        )
        enrolled_id = await tab.text_content("#shopper-id")
        enrol_message = await tab.text_content("#shopper-message")
        found = await http.get(
            "/v1/members/lookup", params={"type": "phone", "value": newcomer}, headers=pos
        )
        calls = await api_calls(tab)

    assert heading == "本单商品"
    assert receipt["to_pay"] == "¥100.00"
    assert receipt["redeemed"] == 50
    assert receipt["balance"] == after_sale["available"] == 398 - 50 + receipt["earned"]
    assert "获得积分" in (receipt_text or "")
    assert "最新积分余额" in (receipt_text or "")
    assert found.status_code == 200, found.text
    assert found.json()["member_id"] == enrolled_id
    assert found.json()["profile"]["name"] == "韩梅梅"
    assert found.json()["consents"]["marketing"] is True
    assert enrol_message == "入会成功：新会员即为本单顾客。"  # noqa: RUF001
    assert "POST /v1/auth/sessions → 201" in calls
    assert any(line.startswith("POST /v1/members →") for line in calls)
    assert violations == []


async def test_a_key_the_platform_refuses_sends_the_till_back_to_sign_in_and_is_forgotten(
    platform_stack: Stack, browser: Any
) -> None:
    tab = await new_tab(browser, platform_stack)

    await open_till_with_key(tab, "lk_pos_not-a-key-of-anyone")
    await tab.fill("#identify-value", new_phone())
    await tab.press("#identify-value", "Enter")
    await tab.wait_for_selector("#sign-in-panel:not([hidden])")
    message = await tab.text_content("#sign-in-message")
    kept = await tab.evaluate("() => sessionStorage.length + localStorage.length")

    assert message == "The platform refused the key or the session: sign in again."
    assert kept == 0
    assert await tab.is_hidden("#till-main")
