"""The console in a real browser (Chromium, headless) against the running platform: sign in
with e-mail and password, see the role, find a member, sign out.

Needs Playwright for Python and Debian's `chromium`; skipped where either is missing.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from libs.stack.platform import Stack
from tests.e2e.gateway_support import enrol, key

playwright_api = pytest.importorskip("playwright.async_api")
CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
async def tab(platform_stack: Stack) -> AsyncIterator[Any]:
    """A Chromium tab on the gateway (a Playwright `Page`; typed loosely, as Playwright is
    optional)."""
    async with playwright_api.async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = await browser.new_page(base_url=platform_stack.gateway_url)
            page.set_default_timeout(20_000)
            yield page
        finally:
            await browser.close()


async def test_an_operator_signs_in_finds_a_member_and_signs_out_in_the_browser(
    platform_stack: Stack, tab: Any
) -> None:
    login = platform_stack.credentials["operators"][0]
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        member_id = await enrol(http, key(platform_stack, "demo", "pos"))

    await tab.goto("/console")
    await tab.fill("#tenant-id", login["tenant_id"])
    await tab.fill("#email", login["email"])
    await tab.fill("#password", login["password"])
    await tab.click("#sign-in-button")
    await tab.wait_for_selector("#workspace:not([hidden])")
    role = await tab.text_content("#role-name")
    routes = await tab.text_content("#role-permissions")
    storage = await tab.evaluate(
        "() => [sessionStorage.length, localStorage.length, document.cookie]"
    )

    await tab.check('input[name="lookup-by"][value="member"]')
    await tab.fill("#member-id", member_id)
    await tab.click("#lookup-button")
    card = await tab.wait_for_selector(".member-id")
    shown_id = await card.text_content()

    await tab.click("#sign-out")
    await tab.wait_for_selector("#sign-in-panel:not([hidden])")
    cookies = await tab.context.cookies()
    await tab.reload()
    await tab.wait_for_selector("#sign-in-panel:not([hidden])")

    assert role == "admin"
    assert "/v1/admin/keys" in (routes or "")
    assert storage == [0, 0, ""]  # the session cookie is HttpOnly: no script sees it
    assert shown_id == member_id
    assert not [c for c in cookies if c["name"] == "loyalty_session"]
