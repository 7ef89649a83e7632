"""The Approvals page in a real browser, in a tenant of its own that holds new operator
keys: the admin who asked sees their request waiting and may not decide it; another admin
approves it in Chinese and the key is made once."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import httpx

from libs.stack.platform import Stack
from tests.e2e.console_browser import (  # noqa: F401  (fixtures)
    browser_fixture,
    new_tab,
    open_page,
    record_paint,
    serious_violations,
    sign_in,
)
from tests.e2e.gateway_support import admin_cli, new_operator, signed_in


async def a_held_operator_key(stack: Stack) -> tuple[dict[str, str], dict[str, str], str]:
    """A new tenant holding new operator keys, two admins of it, and the first one's held
    request for a key."""
    tenant = f"t-four-eyes-{uuid4().hex[:8]}"
    admin_cli(stack, "tenants", "configure", "--tenant", tenant, "--key-per-second", "50")
    maker, checker = (new_operator(stack, "admin", tenant=tenant) for _ in range(2))
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as http:
        session = await signed_in(http, maker)
        policy = await http.put(
            "/v1/admin/approval-policy", json={"operator_keys": True}, headers=session
        )
        assert policy.status_code == 200, policy.text
        held = await http.post(
            "/v1/admin/keys", json={"channel": "operator", "role": "analyst"}, headers=session
        )
        assert held.status_code == 202, held.text
    return maker, checker, held.json()["approval_id"]


async def test_the_maker_waits_and_another_admin_approves_in_chinese(
    platform_stack: Stack, browser: Any
) -> None:
    maker, checker, approval_id = await a_held_operator_key(platform_stack)
    maker_tab = await new_tab(browser, platform_stack)
    await sign_in(maker_tab, maker)
    checker_tab = await new_tab(browser, platform_stack, language="zh-CN")
    await sign_in(checker_tab, checker)

    await open_page(maker_tab, "approvals")
    maker_row = await maker_tab.locator("#approvals-queue tbody tr").first.text_content() or ""
    maker_buttons = await maker_tab.locator(f"#approve-{approval_id}").count()
    policy_ticked = await maker_tab.locator(
        '#approval-switches input[value="operator_keys"]'
    ).is_checked()
    maker_violations = await serious_violations(maker_tab)
    paint = await open_page(checker_tab, "approvals")
    checker_violations = await serious_violations(checker_tab)
    await checker_tab.click(f"#approve-{approval_id}")
    message = checker_tab.locator("#approvals-message")
    await message.wait_for()
    outcome = await message.text_content() or ""
    heading = await checker_tab.text_content("h1.page-title")
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        keys = await http.get("/v1/admin/keys", headers=await signed_in(http, checker))

    record_paint("approvals (admin, Chinese)", paint)
    assert "POST /v1/admin/keys" in maker_row
    assert "Your request" in maker_row
    assert maker_buttons == 0
    assert policy_ticked
    assert heading == "审批"
    assert "已批准" in outcome
    assert "201" in outcome
    assert [k["role"] for k in keys.json()["keys"] if k["channel"] == "operator"] == ["analyst"]
    assert maker_violations == []
    assert checker_violations == []
