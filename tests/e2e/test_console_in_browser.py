"""The console in a real browser (Chromium, headless) against the running platform: sign
in with e-mail and password, the pages the role gets, the language, sign out."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest

from libs.stack.platform import Stack
from tests.e2e.console_browser import (  # noqa: F401  (fixtures)
    TABLET,
    browser_fixture,
    first_paint_of_load,
    nav_pages,
    new_tab,
    open_page,
    record_paint,
    serious_violations,
    sign_in,
    tab_fixture,
)
from tests.e2e.gateway_support import an_order, enrol, key, new_operator


async def test_an_operator_signs_in_finds_a_member_and_signs_out_in_the_browser(
    platform_stack: Stack, tab: Any
) -> None:
    login = platform_stack.credentials["operators"][0]
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        member_id = await enrol(http, key(platform_stack, "demo", "pos"))

    await sign_in(tab, login)
    home_paint = await first_paint_of_load(tab)
    home_drawn = float(await tab.get_attribute("#view", "data-rendered-ms") or 0)
    pages = await nav_pages(tab)
    storage = await tab.evaluate(
        "() => [sessionStorage.length, localStorage.length, document.cookie]"
    )
    home_violations = await serious_violations(tab)
    await open_page(tab, "members")
    await tab.select_option("#lookup-type", "member_id")
    await tab.fill("#lookup-value", member_id)
    await tab.click("#lookup-button")
    shown_id = await (await tab.wait_for_selector(".member-id")).text_content()
    member_violations = await serious_violations(tab)

    await tab.click("#sign-out")
    await tab.wait_for_selector("#sign-in-panel:not([hidden])")
    cookies = await tab.context.cookies()
    await tab.reload()
    await tab.wait_for_selector("#sign-in-panel:not([hidden])")
    sign_in_violations = await serious_violations(tab)

    record_paint("sign-in (first contentful paint)", home_paint)
    record_paint("home (admin)", home_drawn)
    assert pages == [
        *("home", "dashboard", "retention", "rfm", "churn", "league", "finance"),
        *("members", "campaigns", "segments", "coupons", "tiers", "points", "access"),
        *("codes", "audit", "feedback", "approvals", "webhooks", "operations"),
    ]
    assert storage == [0, 0, ""]  # the session cookie is HttpOnly: no script sees it
    assert shown_id == member_id
    assert not [c for c in cookies if c["name"] == "loyalty_session"]
    assert home_violations == member_violations == sign_in_violations == []


async def test_enter_pressed_before_the_console_is_ready_sends_no_form_and_signs_in_after(
    platform_stack: Stack, tab: Any
) -> None:
    """While the message tables still load, the page's scripts have not taken the form
    yet: the browser must not send it itself (a POST of the password to /console)."""
    login = platform_stack.credentials["operators"][0]
    tables_asked = asyncio.Event()
    release = asyncio.Event()

    async def held(route: Any) -> None:
        tables_asked.set()
        await release.wait()
        await route.continue_()

    await tab.route(lambda url: "/messages." in url, held)
    documents: list[str] = []
    tab.on(
        "request",
        lambda r: (
            documents.append(f"{r.method} {urlparse(r.url).path}")
            if r.resource_type == "document"
            else None
        ),
    )
    await tab.goto("/console", wait_until="domcontentloaded")
    await asyncio.wait_for(tables_asked.wait(), 60)
    await tab.fill("#tenant-id", login["tenant_id"])
    await tab.fill("#email", login["email"])
    await tab.fill("#password", login["password"])
    await tab.press("#password", "Enter")
    await asyncio.sleep(0.5)
    disabled_while_loading = await tab.is_disabled("#sign-in-button")
    release.set()
    await tab.click("#sign-in-button")  # waits until the page enables it
    await tab.wait_for_selector("#workspace:not([hidden])")

    assert disabled_while_loading
    assert documents == ["GET /console"]


async def test_the_console_speaks_the_browsers_language_and_switches_on_request(
    platform_stack: Stack,
    browser: Any,
) -> None:
    login = platform_stack.credentials["operators"][0]
    chinese = await new_tab(browser, platform_stack, language="zh-CN", viewport=TABLET)

    await chinese.goto("/console")
    sign_in_title = await chinese.text_content("#sign-in-title")
    lang = await chinese.get_attribute("html", "lang")
    await sign_in(chinese, login)
    nav_in_chinese = await chinese.text_content("#nav")
    home_violations = await serious_violations(chinese)
    await chinese.select_option("#language", "en")
    await chinese.wait_for_function("() => document.documentElement.lang === 'en'")
    await chinese.wait_for_selector("#nav >> text=Members")
    nav_in_english = await chinese.text_content("#nav")
    url = chinese.url
    await chinese.reload()
    await chinese.wait_for_selector("#nav >> text=Members")
    after_reload = await chinese.get_attribute("html", "lang")

    assert (sign_in_title, lang) == ("登录", "zh-CN")
    assert "会员" in (nav_in_chinese or "")
    assert "首页" in (nav_in_chinese or "")
    assert "Members" in (nav_in_english or "")
    assert "会员" not in (nav_in_english or "")
    assert "lang=en" in url
    assert after_reload == "en"
    assert home_violations == []


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("support", ["home", "members", "points", "codes", "feedback", "approvals"]),
        (
            "marketer",
            [
                *("home", "dashboard", "retention", "rfm", "churn", "league", "finance"),
                "members",
                *("campaigns", "segments", "coupons", "tiers", "approvals", "operations"),
            ],
        ),
        (
            "analyst",
            [
                *("home", "dashboard", "retention", "rfm", "churn", "league", "finance"),
                "members",
                *("campaigns", "segments", "coupons", "operations"),
            ],
        ),
        (
            "auditor",
            ["home", "finance", "campaigns", "segments", "coupons", "points", "audit", "approvals"],
        ),
        ("store_manager", ["home", "stores", "members", "feedback"]),
    ],
)
async def test_each_role_sees_the_pages_it_may_use(
    platform_stack: Stack, tab: Any, role: str, expected: list[str]
) -> None:
    login = new_operator(platform_stack, role, ["S001"] if role == "store_manager" else [])

    await sign_in(tab, login)
    pages = await nav_pages(tab)
    violations = await serious_violations(tab)

    assert pages == expected
    assert violations == []


async def test_an_operator_signs_in_and_finds_a_member_with_the_keyboard_alone(
    platform_stack: Stack, tab: Any
) -> None:
    login = new_operator(platform_stack, "support")
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        member_id = await enrol(http, key(platform_stack, "demo", "pos"))

    await tab.goto("/console")
    await tab.wait_for_selector("#sign-in-panel:not([hidden])")
    await tab.focus("#tenant-id")
    await tab.keyboard.type(login["tenant_id"])
    await tab.keyboard.press("Tab")
    await tab.keyboard.type(login["email"])
    await tab.keyboard.press("Tab")
    await tab.keyboard.type(login["password"])
    await tab.keyboard.press("Enter")
    await tab.wait_for_selector('#view[data-page="home"]')
    for _ in range(20):  # from the top of the page to the Members link
        await tab.keyboard.press("Tab")
        if await tab.evaluate("() => document.activeElement.getAttribute('href')") == "#/members":
            break
    await tab.keyboard.press("Enter")
    await tab.wait_for_selector('#view[data-page="members"]')
    focused = await tab.evaluate("() => document.activeElement.id")
    await tab.select_option("#lookup-type", "member_id")
    await tab.focus("#lookup-value")
    await tab.keyboard.type(member_id)
    await tab.keyboard.press("Enter")
    shown = await (await tab.wait_for_selector(".member-id")).text_content()

    assert focused == "lookup-value"  # the page puts the caret where the work starts
    assert shown == member_id


async def test_support_sees_on_home_the_holds_about_to_expire_and_opens_the_member(
    platform_stack: Stack, browser: Any
) -> None:
    pos = key(platform_stack, "demo", "pos")
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        member_id = await enrol(http, pos)
        earned = await http.post("/v1/orders", json=an_order(member_id), headers=pos)
        assert earned.status_code == 201, earned.text
        body = {"member_id": member_id, "points": 50, "store_id": "S001", "hold_seconds": 180}
        held = await http.post("/v1/redemptions", json=body, headers=pos)
        assert held.status_code == 201, held.text
    tab = await new_tab(browser, platform_stack, language="zh-CN")
    await sign_in(tab, new_operator(platform_stack, "support"))

    panel = await (await tab.wait_for_selector("#holds-panel")).text_content()
    violations = await serious_violations(tab)
    await tab.click(f"#holds-panel a >> text={member_id}")
    await tab.wait_for_selector(f"#view[data-page='members'] >> text={member_id}")
    marketer = await new_tab(browser, platform_stack)
    await sign_in(marketer, new_operator(platform_stack, "marketer"))
    marketer_panel = await marketer.query_selector("#holds-panel")

    assert "即将到期的积分冻结" in (panel or "")
    assert member_id in (panel or "")
    assert "门店收银" in (panel or "") or "S001" in (panel or "")
    assert marketer_panel is None
    assert violations == []
