"""The sign-in codes page in a real browser: under `make run` a shopper asks for a code to
sign in to the member centre, an admin reads it on the console (in Chinese), and the
shopper signs in with it; a marketer has no such page."""

from __future__ import annotations

from typing import Any

import httpx

from libs.stack.platform import Stack
from tests.e2e.console_browser import (  # noqa: F401  (fixtures)
    browser_fixture,
    nav_pages,
    new_tab,
    open_page,
    record_paint,
    serious_violations,
    sign_in,
    tab_fixture,
)
from tests.e2e.gateway_support import new_operator, new_phone


async def test_an_admin_reads_a_shopper_s_sign_in_code_and_the_shopper_signs_in_with_it(
    platform_stack: Stack, browser: Any
) -> None:
    phone = new_phone()
    identity = {"type": "phone", "value": phone}
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        asked = await http.post(
            "/v1/member-sessions/otp", json={"tenant_id": "demo", "identity": identity}
        )
        tab = await new_tab(browser, platform_stack, language="zh-CN")
        await sign_in(tab, platform_stack.credentials["operators"][0])

        paint = await open_page(tab, "codes")
        violations = await serious_violations(tab)
        row = tab.locator("#codes-messages tr", has_text=phone)
        await row.wait_for()
        code = (await row.locator(".sign-in-code").text_content() or "").strip()
        heading = await tab.text_content("h1.page-title")
        signed_in = await http.post(
            "/v1/member-sessions", json={"tenant_id": "demo", "identity": identity, "code": code}
        )

    record_paint("sign-in codes (admin, Chinese)", paint)
    assert asked.status_code == 202
    assert heading == "登录验证码"
    assert len(code) == 6
    assert signed_in.status_code == 201, signed_in.text
    assert violations == []


async def test_a_marketer_has_no_sign_in_codes_page(platform_stack: Stack, browser: Any) -> None:
    tab = await new_tab(browser, platform_stack)
    await sign_in(tab, new_operator(platform_stack, "marketer"))

    pages = await nav_pages(tab)

    assert "codes" not in pages
    assert "campaigns" in pages
