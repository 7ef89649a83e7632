"""The exchange rates on the console's Points page in a real browser: an admin sets a rate
and sees a refused file's every wrong row (English); a support operator reads the rates in
Chinese and has no form to set them; Member 360 shows a USD order's own amount with what
it came to in CNY and the rate. Every page passes axe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx

from libs.stack.platform import Stack
from tests.e2e.console_browser import (  # noqa: F401  (fixtures)
    browser_fixture,
    new_tab,
    open_page,
    serious_violations,
    sign_in,
    tab_fixture,
)
from tests.e2e.gateway_support import key, new_operator, new_phone
from tests.e2e.test_console_member_desk_in_browser import enrolled, find_by_phone
from tests.e2e.test_currencies_through_gateway import unused_currency


async def test_an_admin_sets_a_rate_and_sees_every_wrong_row_of_a_refused_file(
    platform_stack: Stack, browser: Any
) -> None:
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        currency = await unused_currency(http, key(platform_stack, "demo", "operator"))
    tab = await new_tab(browser, platform_stack)
    await sign_in(tab, new_operator(platform_stack, "admin"))
    await open_page(tab, "points")
    await tab.wait_for_selector("#rates-panel")

    await tab.fill("#rates-set-currency", currency)
    await tab.fill("#rates-set-valid-from", "2026-01-01T08:00")
    await tab.fill("#rates-set-rate", "0")
    await tab.click("#rates-set-submit")
    refused = await tab.wait_for_selector("#rates-set-rate-error:not([hidden])")
    await tab.fill("#rates-set-rate", "1.2345")
    await tab.click("#rates-set-submit")
    done = await tab.wait_for_selector("#rates-panel .message-info")
    listed = await tab.wait_for_selector(f"#rates-list td:text-is('{currency}')")
    bad = f"currency,valid_from,rate\n{currency},2026-02-01T00:00:00+08:00,1.3\nusd,x,1\n"
    upload = {"name": "rates.csv", "mimeType": "text/csv", "buffer": bad.encode()}
    await tab.set_input_files("#rates-import-file", files=[upload])
    await tab.click("#rates-import-submit")
    await tab.wait_for_selector("#rates-import-report table")
    status = await tab.text_content("#rates-import-status")
    report = await tab.text_content("#rates-import-report")
    violations = await serious_violations(tab)

    assert await refused.text_content()  # the API's refusal, beside its field
    assert f"{currency} 1.2345 is set." in (await done.text_content() or "")
    assert listed is not None
    assert status == "The file was refused, nothing changed. Wrong rows: 1."
    assert "rows[2].currency" in (report or "")
    assert violations == []


async def test_support_reads_the_rates_in_chinese_without_a_form_to_set_them(
    platform_stack: Stack, browser: Any
) -> None:
    tab = await new_tab(browser, platform_stack, language="zh-CN")
    await sign_in(tab, new_operator(platform_stack, "support"))

    await open_page(tab, "points")
    panel = await tab.wait_for_selector("#rates-panel")
    title = await tab.text_content("#rates-panel-title")
    violations = await serious_violations(tab)

    assert title == "汇率"
    assert "CNY" in (await panel.text_content() or "")
    assert await tab.query_selector("#rates-set") is None
    assert await tab.query_selector("#rates-import") is None
    assert violations == []


async def test_member_360_shows_a_usd_orders_own_amount_with_its_cny_amount_and_rate(
    platform_stack: Stack, browser: Any
) -> None:
    pos, operator = key(platform_stack, "demo", "pos"), key(platform_stack, "demo", "operator")
    phone, now = new_phone(), datetime.now(UTC).replace(microsecond=0)
    rate = {"valid_from": (now - timedelta(minutes=1)).isoformat(), "rate": "7.5"}
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        set_ = await http.put("/v1/admin/exchange-rates/USD", json=rate, headers=operator)
        assert set_.status_code == 200, set_.text
        member_id = await enrolled(http, pos, phone, "S001")
        order = {
            "order_id": f"FX-{uuid4().hex}",
            "member_id": member_id,
            "store_id": "S001",
            "occurred_at": now.isoformat(),
            "currency": "USD",
            "total": "20.00",
            "lines": [{"sku": "SHOE-1", "category": "shoes", "quantity": 1, "unit_price": "20.00"}],
        }
        placed = await http.post("/v1/orders", json=order, headers=pos)
        assert placed.status_code == 201, placed.text
    tab = await new_tab(browser, platform_stack)
    await sign_in(tab, new_operator(platform_stack, "support"))

    await find_by_phone(tab, phone)
    converted = await tab.wait_for_selector("#orders-panel .order-converted")
    row = await tab.text_content(f"#orders-panel tr:has-text('{order['order_id']}')")
    violations = await serious_violations(tab)

    text = await converted.text_content() or ""
    assert "20.00" in (row or "")
    assert ("150.00" in text, "at 7.5, valid from" in text) == (True, True)
    assert violations == []
