"""The access page in a real browser: an admin creates a POS key bound to one store, the
till uses it (and may not act for another store), the admin revokes it and the API
refuses it from then on."""

from __future__ import annotations

import secrets
from typing import Any

import httpx

from libs.stack.platform import Stack
from tests.e2e.console_browser import (  # noqa: F401  (fixtures)
    browser_fixture,
    new_tab,
    open_page,
    record_paint,
    serious_violations,
    sign_in,
    tab_fixture,
)
from tests.e2e.gateway_support import an_order, bearer, enrol


async def test_an_admin_creates_a_store_bound_pos_key_uses_it_and_revokes_it(
    platform_stack: Stack, browser: Any
) -> None:
    tab = await new_tab(browser, platform_stack, language="zh-CN")
    await sign_in(tab, platform_stack.credentials["operators"][0])

    paint = await open_page(tab, "access")
    page_violations = await serious_violations(tab)
    await tab.select_option("#key-channel", "pos")
    await tab.select_option("#key-store", "S002")
    await tab.click("#key-create")
    issued = await tab.wait_for_selector("#key-issued .secret")
    key_id = await issued.get_attribute("data-key-id")
    secret = await tab.input_value("#key-secret")
    await tab.wait_for_selector(f'.key-revoke[data-key-id="{key_id}"]')
    listed = await tab.text_content("#keys-table")

    till = bearer(secret)
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        member_id = await enrol(http, till, "S002")
        at_its_store = await http.post("/v1/orders", json=an_order(member_id, "S002"), headers=till)
        elsewhere = await http.post("/v1/orders", json=an_order(member_id, "S001"), headers=till)

        await tab.click(f'.key-rotate[data-key-id="{key_id}"]')
        await tab.wait_for_function(
            "old => document.querySelector('#key-secret').value !== old", arg=secret
        )
        rotated = bearer(await tab.input_value("#key-secret"))
        with_new_secret = await http.post(
            "/v1/orders", json=an_order(member_id, "S002"), headers=rotated
        )
        await tab.click(f'.key-revoke[data-key-id="{key_id}"]')
        await tab.click(f'.key-revoke-confirm[data-key-id="{key_id}"]')
        await tab.wait_for_selector(
            f'.key-revoke-confirm[data-key-id="{key_id}"]', state="detached"
        )
        after = await http.post("/v1/orders", json=an_order(member_id, "S002"), headers=till)
        after_rotated = await http.post(
            "/v1/orders", json=an_order(member_id, "S002"), headers=rotated
        )

    record_paint("access (admin, Chinese)", paint)
    assert key_id in (listed or "")
    assert at_its_store.status_code == 201, at_its_store.text
    assert elsewhere.status_code == 403
    assert with_new_secret.status_code == 201, with_new_secret.text
    assert after.status_code == after_rotated.status_code == 401
    assert page_violations == []


async def test_an_admin_adds_an_operator_and_makes_them_a_store_manager(
    platform_stack: Stack, browser: Any
) -> None:
    admin = await new_tab(browser, platform_stack)
    await sign_in(admin, platform_stack.credentials["operators"][0])
    email = f"wang-{secrets.token_hex(4)}@demo.example"
    password = secrets.token_urlsafe(16)

    await open_page(admin, "access")
    await admin.fill("#operator-email", email)
    await admin.fill("#operator-password", password)
    await admin.select_option("#operator-role", "support")
    await admin.click("#operator-create")
    row = admin.locator("#operators-table tr", has_text=email)
    await row.wait_for()
    await row.locator("select").select_option("store_manager")
    await row.locator('input[value="S002"]').check()
    await row.locator(".operator-save").click()
    await (
        admin.locator("#operators-table tr", has_text=email)
        .locator('input[value="S002"]:checked')
        .wait_for()
    )
    violations = await serious_violations(admin)

    them = await new_tab(browser, platform_stack)
    await sign_in(them, {"tenant_id": "demo", "email": email, "password": password})
    session = await them.text_content("#session-detail")

    assert session == "Store manager · stores S002"
    assert violations == []


async def test_an_admin_signs_an_operator_out_disables_them_and_enables_them_in_chinese(
    platform_stack: Stack, browser: Any
) -> None:
    admin = await new_tab(browser, platform_stack, language="zh-CN")
    await sign_in(admin, platform_stack.credentials["operators"][0])
    email = f"zhou-{secrets.token_hex(4)}@demo.example"
    password = secrets.token_urlsafe(16)
    login = {"tenant_id": "demo", "email": email, "password": password}
    await open_page(admin, "access")
    await admin.fill("#operator-email", email)
    await admin.fill("#operator-password", password)
    await admin.click("#operator-create")
    row = admin.locator("#operators-table tr", has_text=email)
    await row.wait_for()
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url) as http:
        first = (await http.post("/v1/auth/sessions", json=login)).json()["token"]

        await row.locator(".operator-end-sessions").click()
        await admin.locator("#operators-said", has_text="已结束").wait_for()
        after_end = await http.get("/v1/admin/whoami", headers=bearer(first))
        await row.locator(".operator-disable").click()
        await row.locator(".operator-disable-confirm").click()
        await row.locator(".operator-enable").wait_for()
        disabled_row = await row.text_content()
        violations = await serious_violations(admin)
        refused = await http.post("/v1/auth/sessions", json=login)
        await row.locator(".operator-enable").click()
        await row.locator(".operator-disable").wait_for()
        again = await http.post("/v1/auth/sessions", json=login)

    assert after_end.status_code == 401
    assert "已停用" in (disabled_row or "")
    assert refused.status_code == 401
    assert again.status_code == 201
    assert violations == []
