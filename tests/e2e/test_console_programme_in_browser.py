"""Segments, tiers and coupons in a real browser: a marketer previews and saves a segment,
reads how many members each tier holds, makes a coupon template and has the server
generate its codes (leaving the page and closing the tab meanwhile, then finding them done
in a new tab and on the Operations page); an auditor reads the coupons but is offered no
change."""

from __future__ import annotations

import secrets
from typing import Any

from libs.stack.platform import Stack
from tests.e2e.console_browser import (  # noqa: F401  (fixtures)
    browser_fixture,
    downloaded_text,
    new_tab,
    open_page,
    record_paint,
    serious_violations,
    sign_in,
    tab_fixture,
)
from tests.e2e.gateway_support import new_operator


async def test_a_marketer_saves_a_segment_reads_the_tiers_and_generates_coupon_codes(
    platform_stack: Stack, browser: Any
) -> None:
    tab = await new_tab(browser, platform_stack)
    marketer = new_operator(platform_stack, "marketer")
    await sign_in(tab, marketer)
    segment = f"Store till regulars {secrets.token_hex(3)}"
    template = f"CNY 20 off {secrets.token_hex(3)}"

    segments_paint = await open_page(tab, "segments/new")
    await tab.fill("#segment-name", segment)
    await tab.check('input[name="segment-channels"][value="pos"]')
    await tab.click("#segment-preview")
    await tab.wait_for_function(
        "() => /\\d/.test(document.querySelector('#segment-size').textContent)"
    )
    builder_violations = await serious_violations(tab)
    await tab.click("#segment-save")
    await tab.wait_for_selector(f"#segments-list >> text={segment}")

    tiers_paint = await open_page(tab, "tiers")
    tier_numbers = await (await tab.wait_for_selector("#tiers-chart table")).text_content()
    tiers_violations = await serious_violations(tab)

    coupons_paint = await open_page(tab, "coupons")
    await tab.fill("#template-name", template)
    await tab.click("#template-create")
    await tab.wait_for_selector("#template-generate")
    template_route = tab.url.split("#/", 1)[1]
    template_id = template_route.rsplit("/", 1)[-1]
    await tab.fill("input[id^='generate-count-']", "2500")
    await tab.click("button[id^='generate-']")
    # Started once the server answers with its operation (the bar then counts 2,500).
    await tab.wait_for_function(
        "() => document.querySelector('#template-generate progress').max === 2500"
    )
    await open_page(tab, "segments")  # leave while the codes are made
    await tab.close()  # and close the tab: the server goes on
    tab = await new_tab(browser, platform_stack)
    await sign_in(tab, marketer)
    await open_page(tab, template_route)
    await tab.wait_for_function(
        "() => document.querySelectorAll('#template-generate a[data-batch-id]').length === 3",
        timeout=120_000,
    )
    status = await tab.text_content("#template-generate [role=status]")
    codes = (await downloaded_text(tab, "#template-generate a[data-batch-id]")).splitlines()
    progress = await tab.eval_on_selector("#template-generate progress", "p => [p.value, p.max]")
    coupon_violations = await serious_violations(tab)
    await open_page(tab, "coupons")
    listed = await tab.wait_for_selector(f"#templates-list tr:has-text('{template}')")
    template_row = await listed.text_content()
    await open_page(tab, "operations")
    operation = await tab.wait_for_selector(f"tr:has-text('{template_id}')")
    operation_row = await operation.text_content()

    record_paint("segments builder (marketer)", segments_paint)
    record_paint("tiers with members per tier (marketer)", tiers_paint)
    record_paint("coupons (marketer)", coupons_paint)
    assert "Bronze" in (tier_numbers or "") or "Silver" in (tier_numbers or "")
    assert status == "2,500 of 2,500 codes generated."
    assert progress == [2500, 2500]
    assert codes[0] == "code,coupon_id,valid_until"
    assert "2,500" in (template_row or "")  # its coupons, counted in the list
    assert len(codes) == 1 + 1000  # the first batch's codes
    assert "2,500 / 2,500" in (operation_row or "")
    assert builder_violations == tiers_violations == coupon_violations == []


async def test_an_auditor_reads_coupon_templates_and_segments_without_changing_them(
    platform_stack: Stack, browser: Any
) -> None:
    tab = await new_tab(browser, platform_stack)
    await sign_in(tab, new_operator(platform_stack, "auditor"))

    await open_page(tab, "coupons")
    template_form = await tab.query_selector("#template-new")
    first = await tab.query_selector("#templates-list a")
    if first is not None:
        await first.click()
        await tab.wait_for_selector("#template-detail")
    coupon_changes = await tab.query_selector_all("#template-toggle, #template-generate")
    await open_page(tab, "segments")
    segment_changes = await tab.query_selector_all("#segment-new, #segments-list a")

    assert template_form is None
    assert coupon_changes == []
    assert segment_changes == []
