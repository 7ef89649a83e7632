"""The Webhooks page in a real browser, against the whole stack: an admin (in Chinese)
subscribes a local receiver to `points.earned`, a till's order reaches it signed, the
delivery log shows it delivered, "send again" re-delivers it with the same webhook-id,
and the endpoint is deleted in two steps; a marketer has no such page."""

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
from tests.e2e.gateway_support import an_order, enrol, key, new_operator
from tests.support.polling import eventually
from tests.support.webhook_receiver import Receiver, receiving


async def test_an_admin_subscribes_a_receiver_sees_the_delivery_and_sends_it_again(
    platform_stack: Stack, browser: Any
) -> None:
    pos = key(platform_stack, "demo", "pos")
    async with (
        receiving(Receiver()) as receiver,
        httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http,
    ):
        tab = await new_tab(browser, platform_stack, language="zh-CN")
        await sign_in(tab, platform_stack.credentials["operators"][0])
        paint = await open_page(tab, "webhooks")
        heading = await tab.text_content("h1.page-title")
        await tab.fill("#webhook-url", receiver.url)
        await tab.check('input[name="webhook-types"][value="points.earned"]')
        await tab.click("#webhook-create")
        receiver.secret = await tab.input_value("#webhook-secret")
        endpoint_id = await tab.get_attribute(
            "#webhook-issued [data-endpoint-id]", "data-endpoint-id"
        )

        member_id = await enrol(http, pos)
        ordered = await http.post("/v1/orders", json=an_order(member_id), headers=pos)
        assert ordered.status_code == 201, ordered.text

        def mine() -> list[str]:
            return [i for i, p in receiver.handled.items() if p["data"]["member_id"] == member_id]

        await eventually(lambda: len(mine()) == 1, within=60)
        [webhook_id] = mine()
        await tab.click(f'.webhook-deliveries[data-endpoint-id="{endpoint_id}"]')
        row = tab.locator("#webhook-log tr", has_text=webhook_id)
        await row.wait_for()
        status = await row.locator("td").nth(2).text_content()
        log_violations = await serious_violations(tab)
        await row.locator(".delivery-replay").click()
        await eventually(lambda: receiver.arrivals.count(webhook_id) == 2, within=60)
        await tab.click(f'.webhook-delete[data-endpoint-id="{endpoint_id}"]')
        await tab.click(f'.webhook-delete-confirm[data-endpoint-id="{endpoint_id}"]')
        await tab.locator(f'.webhook-deliveries[data-endpoint-id="{endpoint_id}"]').wait_for(
            state="detached"
        )

    record_paint("webhooks (admin, Chinese)", paint)
    assert heading == "Webhooks 推送"
    assert receiver.secret.startswith("whsec_")
    assert receiver.unsigned == 0
    assert receiver.handled[webhook_id]["data"]["points"] > 0
    assert status == "已送达"
    assert log_violations == []


async def test_the_webhooks_page_in_english_passes_axe_and_a_marketer_has_none(
    platform_stack: Stack, browser: Any
) -> None:
    admin = await new_tab(browser, platform_stack)
    await sign_in(admin, platform_stack.credentials["operators"][0])
    await open_page(admin, "webhooks")
    heading = await admin.text_content("h1.page-title")
    violations = await serious_violations(admin)
    marketer = await new_tab(browser, platform_stack)
    await sign_in(marketer, new_operator(platform_stack, "marketer"))

    pages = await nav_pages(marketer)

    assert heading == "Webhooks"
    assert violations == []
    assert "webhooks" not in pages
