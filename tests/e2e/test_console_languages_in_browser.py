"""A campaign named in English and Chinese in a real browser: a marketer types both names
in the campaign builder and activates it; after a purchase, the member 360's ledger reads
the bonus in the page's language, in English and in Simplified Chinese, with no serious
accessibility findings."""

from __future__ import annotations

import secrets
from typing import Any

import httpx
import pytest

from libs.stack.platform import Stack
from tests.e2e.console_browser import (  # noqa: F401  (fixtures)
    browser_fixture,
    new_tab,
    open_page,
    serious_violations,
    sign_in,
)
from tests.e2e.gateway_support import an_order, enrol, key, new_operator
from tests.support.polling import settled

CHINESE = "鞋类双倍积分"


async def _built(tab: Any, name: str, sku: str) -> None:
    await open_page(tab, "campaigns/new")
    await tab.fill("#campaign-name", name)
    await tab.fill("#campaign-translations-zh-CN-name", f"{CHINESE} {sku}")
    await tab.fill("#campaign-description", "Twice the points on every pair")
    await tab.fill("#campaign-translations-zh-CN-description", "每双鞋双倍积分")
    await tab.fill("#campaign-effect-factor", "2")
    await tab.fill("#campaign-conditions-categories", sku)
    await tab.click("#campaign-save")
    await tab.wait_for_selector("#campaign-title")
    await tab.click("#campaign-activate")
    await tab.wait_for_selector("#campaign-pause")


async def _bought(stack: Stack, member_id: str, sku: str) -> bool:
    order = an_order(member_id, total="100.00")
    order["lines"] = [{"sku": sku, "category": sku, "quantity": 1, "unit_price": "100.00"}]
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as http:
        placed = await http.post("/v1/orders", json=order, headers=key(stack, "demo", "pos"))
    assert placed.status_code == 201, placed.text
    return any(line["source"] == "campaign" for line in placed.json()["breakdown"])


@pytest.mark.parametrize("language", ["en", "zh-CN"])
async def test_a_campaign_bonus_reads_in_the_consoles_language_in_the_member_ledger(
    platform_stack: Stack, browser: Any, language: str
) -> None:
    sku = f"lang{secrets.token_hex(4)}"
    name = f"Double points on shoes {sku}"
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        member_id = await enrol(http, key(platform_stack, "demo", "pos"))
    tab = await new_tab(browser, platform_stack, language=language)
    await sign_in(tab, new_operator(platform_stack, "admin"))

    await _built(tab, name, sku)
    title = await tab.text_content("#campaign-title")
    campaign_violations = await serious_violations(tab)
    # Activation reaches every replica of the campaign service by an event.
    await settled(lambda: _bought(platform_stack, member_id, sku), bool, pause=0.5)
    await open_page(tab, f"members/{member_id}")
    panel = await (await tab.wait_for_selector("#ledger-panel")).text_content()
    ledger_violations = await serious_violations(tab)

    shown = f"{CHINESE} {sku}" if language == "zh-CN" else name
    assert title == shown
    assert f"{shown} (v1)" in (panel or "")
    other = name if language == "zh-CN" else f"{CHINESE} {sku}"
    assert other not in (panel or "")
    assert campaign_violations == ledger_violations == []
