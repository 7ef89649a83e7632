"""Member 360 in a real browser, in Chinese: support reads who asserted each of a member's
identities (channel, store, key) and unlinks the one a store manager of another store
added at enrolment (issue 15, item 5)."""

from __future__ import annotations

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
)
from tests.e2e.gateway_support import key, new_operator, new_phone, signed_in


async def a_member_with_an_identity_added_elsewhere(
    stack: Stack, http: httpx.AsyncClient, phone: str, unionid: str
) -> str:
    """Enrolled at S001's till; a manager of S002 then enrols the same phone with a
    WeChat UnionID of their own."""
    phone_only = [{"type": "phone", "value": phone}]
    body = {"store_id": "S001", "identities": phone_only}
    created = await http.post("/v1/members", json=body, headers=key(stack, "demo", "pos"))
    assert created.status_code == 201, created.text
    manager = await signed_in(http, new_operator(stack, "store_manager", ["S002"]))
    both = [*phone_only, {"type": "wechat_unionid", "value": unionid}]
    found = await http.post(
        "/v1/members", json={"store_id": "S002", "identities": both}, headers=manager
    )
    assert found.status_code == 200, found.text
    member_id: str = created.json()["member_id"]
    return member_id


async def test_support_reads_who_asserted_each_identity_and_unlinks_one_in_chinese(
    platform_stack: Stack, browser: Any
) -> None:
    phone, unionid = new_phone(), f"oU_{uuid4().hex}"
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        member_id = await a_member_with_an_identity_added_elsewhere(
            platform_stack, http, phone, unionid
        )
    tab = await new_tab(browser, platform_stack, language="zh-CN")
    await sign_in(tab, new_operator(platform_stack, "support"))

    await open_page(tab, f"members/{member_id}")
    await tab.wait_for_selector(f"#about-panel >> text={unionid}")
    about = await tab.text_content("#about-panel") or ""
    audit = await tab.text_content("#audit-panel") or ""
    violations = await serious_violations(tab)
    await tab.click(f"#identities-panel button:has-text('{unionid}')")
    await tab.wait_for_selector(f"#about-panel >> text={unionid}", state="detached")
    after = await tab.text_content("#about-panel") or ""

    assert "关联来源" in about
    assert "后台" in about
    assert "门店 S002" in about
    assert "门店收银" in about
    assert "门店 S001" in about
    assert "门店 S002" in audit
    assert violations == []
    assert unionid not in after
    assert phone in after
