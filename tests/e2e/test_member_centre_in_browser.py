"""The member centre (`/m`) in a real browser at a phone's size: a new shopper signs in with
a one-time code (read through the operator API, as the console's Sign-in codes page does)
and shows the QR code; the virtual till scans it and sells with a coupon and held points;
the member centre then shows the new balance and the ledger with its reasons; a return at
the till takes the points back; another member's data is refused. A second walk (a sale,
a redemption and a return through the API, as a till makes them) arrives from the app with
a hand-off code, in Chinese, and signs out. The first page stays under
100 kB over the wire; axe finds nothing serious on any view."""

from __future__ import annotations

from typing import Any

import httpx

from libs.stack.platform import Stack
from tests.e2e.centre_browser import (
    PHONE,
    as_member,
    open_view,
    open_with_handoff,
    sign_in_with_code,
)
from tests.e2e.console_browser import (  # noqa: F401  (fixtures)
    browser_fixture,
    new_tab,
    serious_violations,
)
from tests.e2e.coupon_support import issue, template
from tests.e2e.gateway_support import (
    Headers,
    an_order,
    enrol,
    key,
    new_operator,
    new_phone,
    signed_in,
    store_key,
)
from tests.e2e.till_browser import identify, number, open_till_with_key, ring_up
from tests.e2e.till_browser import sell_with_coupon_and_points as sell
from tests.support.polling import eventually

Json = dict[str, Any]
FIRST_PAGE_BUDGET = 100_000  # bytes over the wire, headers included


async def api(http: httpx.AsyncClient, path: str, headers: Headers) -> Json:
    answer = await http.get(path, headers=headers)
    assert answer.status_code == 200, answer.text
    found: Json = answer.json()
    return found


async def shown_balance(tab: Any) -> int:
    await open_view(tab, "card")
    return number(await tab.text_content("#points-available"))


async def ledger_lines(tab: Any) -> list[Json]:
    await open_view(tab, "activity")
    lines: list[Json] = await tab.eval_on_selector_all(
        "#ledger > li",
        """nodes => nodes.map(n => ({
            type: n.dataset.type,
            title: n.querySelector('.centre-entry-type').textContent,
            points: n.querySelector('.centre-entry-points').textContent,
            reason: n.querySelector('.centre-entry-reason')?.textContent || ''
        }))""",
    )
    return lines


async def test_a_new_shopper_signs_in_shows_the_code_and_sees_a_till_sale_and_its_return(
    platform_stack: Stack, browser: Any
) -> None:
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        admin = await signed_in(http, new_operator(platform_stack, "admin"))
        pos = await store_key(http, admin, "S001")
        phone = new_phone()
        other_member = await enrol(http, pos)
        shopper = await new_tab(browser, platform_stack, viewport=PHONE)

        await sign_in_with_code(shopper, http, admin, phone)
        violations = {"card": await serious_violations(shopper)}
        found = await api(http, f"/v1/members/lookup?type=phone&value={phone[1:]}", pos)
        member_id = found["member_id"]
        # the shopper's first purchase, then a coupon from the brand
        first = await http.post("/v1/orders", json=an_order(member_id), headers=pos)
        assert first.status_code == 201, first.text
        coupon = await issue(http, admin, member_id, (await template(http, admin))["template_id"])
        await shopper.reload()
        await shopper.wait_for_selector('#view[data-view="card"]')
        qr = await shopper.get_attribute("#member-qr", "src")
        code = await shopper.text_content("#member-code")
        await open_view(shopper, "coupons")
        coupon_shown = await shopper.text_content("#coupons")
        violations["coupons"] = await serious_violations(shopper)

        till = await new_tab(browser, platform_stack)
        await open_till_with_key(till, pos["Authorization"].removeprefix("Bearer "))
        await identify(till, "code", code, member_id)
        await ring_up(till, "SHOE-1", "shoes", 1, "299.00")
        receipt = await sell(till, coupon["code"], 100)
        after_sale = await api(http, f"/v1/members/{member_id}/points", pos)
        balance_after_sale = await shown_balance(shopper)
        sale_lines = await ledger_lines(shopper)
        violations["activity"] = await serious_violations(shopper)
        api_ledger = await api(http, f"/v1/members/{member_id}/points/ledger", pos)

        await till.click("#receipt-return")
        await till.click("#return-submit")
        await till.wait_for_selector("#return-points")
        reversed_points = number(await till.text_content("#return-points"))
        after_return = await api(http, f"/v1/members/{member_id}/points", pos)
        balance_after_return = await shown_balance(shopper)
        return_lines = await ledger_lines(shopper)
        await open_view(shopper, "me")
        violations["me"] = await serious_violations(shopper)
        consents = (await api(http, f"/v1/members/{member_id}", pos))["consents"]

        theirs = await as_member(shopper, f"/v1/members/{other_member}")
        await shopper.goto(f"/m?member={other_member}")
        await shopper.wait_for_selector('#view[data-view="card-refused"]', state="attached")
        refusal = await shopper.text_content("#centre-message")
        violations["refused"] = await serious_violations(shopper)

    assert (qr or "").startswith("data:image/svg+xml")
    assert coupon["code"] in (coupon_shown or "")
    assert receipt["redeemed"] == 100
    assert balance_after_sale == receipt["balance"] == after_sale["available"]
    newest = {line["type"]: line for line in reversed(sale_lines)}
    assert newest["redeem"]["points"] == "-100"
    assert newest["earn"]["points"] == f"+{receipt['earned']}"
    assert newest["earn"]["title"] == "Earned"
    earn_reasons = [e["reason"] for e in api_ledger["entries"] if e["type"] == "earn"]
    assert newest["earn"]["reason"] == earn_reasons[0]  # the reason the platform wrote
    assert reversed_points == receipt["earned"]
    assert balance_after_return == after_return["available"] == receipt["balance"] - reversed_points
    assert return_lines[0]["type"] == "reverse"
    assert return_lines[0]["points"] == f"-{reversed_points}"
    assert consents["marketing"] is True  # the choice made when signing in
    assert (theirs["status"], theirs["body"]["code"]) == (404, "member_not_found")
    assert refusal == "No such member: this member centre shows only your own membership."
    assert violations == {"card": [], "coupons": [], "activity": [], "me": [], "refused": []}


async def test_the_app_opens_the_member_centre_with_a_hand_off_code_in_chinese_once(
    platform_stack: Stack, browser: Any
) -> None:
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        pos = key(platform_stack, "demo", "pos")
        member_id = await enrol(http, pos)
        order = an_order(member_id)
        assert (await http.post("/v1/orders", json=order, headers=pos)).status_code == 201
        hold = {"member_id": member_id, "points": 50, "channel": "pos", "store_id": "S001"}
        held = await http.post("/v1/redemptions", json={**hold, "capture": True}, headers=pos)
        assert held.status_code == 201, held.text
        refund = {"return_id": f"R-{order['order_id']}", "amount": "99.00"}
        returned = await http.post(
            f"/v1/orders/{order['order_id']}/returns", json=refund, headers=pos
        )
        assert returned.status_code == 201, returned.text
        wallet = await api(http, f"/v1/members/{member_id}/points", pos)
        shopper = await new_tab(browser, platform_stack, language="zh-CN", viewport=PHONE)

        code = await open_with_handoff(shopper, http, key(platform_stack, "demo", "app"), member_id)
        address = shopper.url
        tab_text = await shopper.text_content("#tab-card")
        balance = number(await shopper.text_content("#points-available"))
        lines = await ledger_lines(shopper)
        violations = await serious_violations(shopper)
        await open_view(shopper, "me")
        await shopper.click("#sign-out")
        await shopper.wait_for_selector("html[data-centre=signed-out]")
        signed_out = await shopper.text_content("#centre-message")
        after = await as_member(shopper, "/v1/member-sessions/current")
        kept = await shopper.evaluate("() => document.cookie + localStorage.length")
        again = await new_tab(browser, platform_stack, language="zh-CN", viewport=PHONE)
        await again.goto(f"/m?handoff={code}")
        await again.wait_for_selector("html[data-centre=signed-out]")
        refused = await again.text_content("#centre-message")
        sign_in_violations = await serious_violations(again)

    assert code not in address
    assert tab_text == "会员卡"
    assert balance == wallet["available"] == 398 - 50 - returned.json()["points_reversed"]
    titles = {line["type"]: line for line in lines}
    assert titles["reverse"]["title"] == "退货扣回"
    # Each reason as the gateway renders it from its code in the page's language.
    assert titles["reverse"]["reason"] == f"订单 {order['order_id']} 退货 CNY 99.00"
    assert titles["earn"]["title"] == "消费获得"
    assert titles["earn"]["reason"] == f"订单 {order['order_id']}：每 CNY 1 元积 1 分（门店 S001）"  # noqa: RUF001
    assert titles["redeem"]["title"] == "兑换"
    assert titles["redeem"]["points"] == "-50"
    assert titles["redeem"]["reason"] == "积分兑换（门店 S001）"  # noqa: RUF001
    assert signed_out == "您已退出登录。"
    assert after["status"] == 401
    assert kept == "0"  # the session was never in the script's reach, and nothing is stored
    assert refused == "该链接已过期或已被使用。请从 App 重新打开会员中心，或使用验证码登录。"  # noqa: RUF001
    assert violations == sign_in_violations == []


async def test_the_member_code_is_renewed_before_it_expires(
    platform_stack: Stack, browser: Any
) -> None:
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        member_id = await enrol(http, key(platform_stack, "demo", "pos"))
        shopper = await new_tab(browser, platform_stack, viewport=PHONE)
        await shopper.clock.install()  # the page's timers run on a clock the test moves
        asked: list[str] = []
        shopper.on("request", lambda r: asked.append(r.url) if "/code?qr=svg" in r.url else None)

        await open_with_handoff(shopper, http, key(platform_stack, "demo", "app"), member_id)
        before = len(asked)
        await shopper.clock.fast_forward(30_000)  # the code (60 s) is still fresh
        still = len(asked)
        await shopper.clock.fast_forward(20_000)  # 10 s before it expires: renewed
        await eventually(lambda: len(asked) == 2)
        await shopper.wait_for_selector("#member-qr")

    assert before == still == 1


async def test_the_member_centre_s_first_page_is_under_100_kb_over_the_wire(
    platform_stack: Stack, browser: Any
) -> None:
    shopper = await new_tab(browser, platform_stack, viewport=PHONE)

    await shopper.goto("/m?tenant=demo")
    await shopper.wait_for_selector("html[data-centre=signed-out]")
    await shopper.wait_for_load_state("networkidle")
    sizes: list[Json] = await shopper.evaluate(
        """() => [...performance.getEntriesByType('navigation'),
                  ...performance.getEntriesByType('resource')]
            .map(e => ({ name: e.name, bytes: e.transferSize }))"""
    )
    total = sum(int(entry["bytes"]) for entry in sizes)

    assert all(entry["bytes"] > 0 for entry in sizes), sizes  # each came over the wire
    assert any(entry["name"].endswith("/branding") for entry in sizes), sizes
    assert total < FIRST_PAGE_BUDGET, sizes
    assert await serious_violations(shopper) == []
