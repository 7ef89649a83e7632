"""The Audit page in a real browser: an auditor finds an admin's work, in English and in
Chinese, sees the fields it changed with the operator's e-mail named but never shown, and
exports the entries as CSV; support has no such page."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import httpx

from libs.stack.platform import Stack
from tests.e2e.console_browser import (  # noqa: F401  (fixtures)
    browser_fixture,
    downloaded_text,
    nav_pages,
    new_tab,
    open_page,
    record_paint,
    serious_violations,
    sign_in,
    tab_fixture,
)
from tests.e2e.gateway_support import enrol, key, new_operator, signed_in


async def an_operator_made_by_an_admin(platform_stack: Stack) -> tuple[str, str]:
    """A new admin adds a support operator; the new operator's id and e-mail."""
    email = f"audited-{uuid4().hex[:10]}@demo.example"
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        admin = await signed_in(http, new_operator(platform_stack, "admin"))
        body = {"email": email, "role": "support", "password": f"pw-{uuid4().hex}"}
        made = await http.post("/v1/admin/operators", json=body, headers=admin)
        assert made.status_code == 201, made.text
        changed = await http.put(
            f"/v1/admin/operators/{made.json()['operator_id']}",
            json={"role": "analyst"},
            headers=admin,
        )
        assert changed.status_code == 200, changed.text
    return made.json()["operator_id"], email


async def search_for(tab: Any, resource: str) -> None:
    await tab.fill("#audit-resource", resource)
    await tab.click("#audit-search")
    await tab.locator("#audit-results tbody tr").nth(1).wait_for()


async def test_an_auditor_finds_an_admin_s_change_and_exports_it(
    platform_stack: Stack, tab: Any
) -> None:
    operator_id, email = await an_operator_made_by_an_admin(platform_stack)
    await sign_in(tab, new_operator(platform_stack, "auditor"))

    paint = await open_page(tab, "audit")
    await search_for(tab, f"operator:{operator_id}")
    violations = await serious_violations(tab)
    rows = await tab.locator("#audit-results tbody tr").all_text_contents()
    exported = await downloaded_text(tab, "#audit-export")

    record_paint("audit (auditor)", paint)
    assert len(rows) == 2
    assert "PUT /v1/admin/operators/{operator_id}" in rows[0]
    assert "support → analyst" in rows[0]
    assert "POST /v1/admin/operators" in rows[1]
    assert "personal, not recorded" in rows[1]
    assert email not in "".join(rows)
    assert exported.count("/v1/admin/operators") == 2
    assert email not in exported
    assert violations == []


async def test_the_audit_page_reads_in_chinese_and_support_has_none(
    platform_stack: Stack, browser: Any
) -> None:
    operator_id, _ = await an_operator_made_by_an_admin(platform_stack)
    tab = await new_tab(browser, platform_stack, language="zh-CN")
    await sign_in(tab, new_operator(platform_stack, "auditor"))
    support_tab = await new_tab(browser, platform_stack)
    await sign_in(support_tab, new_operator(platform_stack, "support"))

    await open_page(tab, "audit")
    await search_for(tab, f"operator:{operator_id}")
    heading = await tab.text_content("h1.page-title")
    text = await tab.text_content("#audit-results") or ""
    violations = await serious_violations(tab)
    support_pages = await nav_pages(support_tab)

    assert heading == "审计"
    assert "个人数据" in text
    assert "未记录" in text
    assert violations == []
    assert "audit" not in support_pages
    assert "members" in support_pages


async def test_member_360_shows_an_admin_the_operators_trail_about_the_member_and_support_not(
    platform_stack: Stack, browser: Any
) -> None:
    admin_login = new_operator(platform_stack, "admin")
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        member_id = await enrol(http, key(platform_stack, "demo", "pos"))
        admin = await signed_in(http, admin_login)
        body = {"adjustment_id": f"ADJ-{uuid4().hex}", "points": 40, "reason": "apology"}
        adjusted = await http.post(
            f"/v1/admin/members/{member_id}/points/adjustments", json=body, headers=admin
        )
        assert adjusted.status_code == 201, adjusted.text
    tab = await new_tab(browser, platform_stack, language="zh-CN")
    await sign_in(tab, admin_login)
    support = await new_tab(browser, platform_stack)
    await sign_in(support, new_operator(platform_stack, "support"))

    await open_page(tab, f"members/{member_id}")
    await tab.wait_for_selector("#operator-trail-panel tbody tr")
    trail = await tab.text_content("#operator-trail-panel") or ""
    violations = await serious_violations(tab)
    await open_page(support, f"members/{member_id}")
    await support.wait_for_selector("#audit-panel")
    support_sees = await support.query_selector("#operator-trail-panel")

    assert "操作员对该会员的操作与查阅" in trail
    assert "POST /v1/admin/members/{member_id}/points/adjustments" in trail
    assert f"member:{member_id}" in trail
    assert "管理员" in trail  # the role of who adjusted
    assert support_sees is None  # support may not read the trail
    assert violations == []
