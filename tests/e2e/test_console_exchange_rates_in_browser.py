"""The exchange rates on the console's Points page in a real browser: an admin sets a rate
and sees a refused file's every wrong row (English); a support operator reads the rates in
Chinese and has no form to set them. Both pages pass axe."""

from __future__ import annotations

import secrets
import string
from typing import Any

from libs.stack.platform import Stack
from tests.e2e.console_browser import (  # noqa: F401  (fixtures)
    browser_fixture,
    new_tab,
    open_page,
    serious_violations,
    sign_in,
    tab_fixture,
)
from tests.e2e.gateway_support import new_operator


def unused_currency() -> str:
    return "X" + "".join(secrets.choice(string.ascii_uppercase) for _ in range(2))


async def test_an_admin_sets_a_rate_and_sees_every_wrong_row_of_a_refused_file(
    platform_stack: Stack, browser: Any
) -> None:
    currency = unused_currency()
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
