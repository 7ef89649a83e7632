"""Contact history in a real browser: a shopper rates an order in the member centre (in
English); support assigns and answers it from the console's Feedback inbox (in Chinese);
the shopper reads the answer. Support reads the member's timeline on Member 360, filters
it and adds a note (in English), and a shopper complains in Chinese. axe finds nothing
serious on any of these views."""

from __future__ import annotations

from typing import Any

import httpx

from libs.stack.platform import Stack
from tests.e2e.centre_browser import PHONE, open_view, open_with_handoff
from tests.e2e.console_browser import (  # noqa: F401  (fixtures)
    browser_fixture,
    new_tab,
    open_page,
    serious_violations,
    sign_in,
)
from tests.e2e.gateway_support import an_order, enrol, key, new_operator, signed_in
from tests.support.polling import settled


async def a_member_with_an_order(stack: Stack) -> tuple[str, str]:
    pos = key(stack, "demo", "pos")
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as http:
        member_id = await enrol(http, pos, "S002")
        order = an_order(member_id, "S002")
        bought = await http.post("/v1/orders", json=order, headers=pos)
        assert bought.status_code == 201, bought.text
    return member_id, str(order["order_id"])


async def test_a_shopper_rates_an_order_and_reads_supports_answer_given_in_chinese(
    platform_stack: Stack, browser: Any
) -> None:
    member_id, order_id = await a_member_with_an_order(platform_stack)
    shopper = await new_tab(browser, platform_stack, viewport=PHONE)
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        await open_with_handoff(shopper, http, key(platform_stack, "demo", "app"), member_id)
    await open_view(shopper, "feedback")
    form_violations = await serious_violations(shopper)
    await shopper.select_option("#feedback-about", order_id)
    await shopper.select_option("#feedback-rating", "2")
    await shopper.fill("#feedback-comment", "The queue was long")
    await shopper.click("#feedback-send")
    await shopper.wait_for_selector("#feedback-given li")
    given = await shopper.text_content("#feedback-given") or ""

    support = await new_tab(browser, platform_stack, language="zh-CN")
    await sign_in(support, new_operator(platform_stack, "support"))
    await open_page(support, "feedback/open/S002")
    row = support.locator("#feedback-inbox tbody tr", has_text="The queue was long")
    feedback_id = (await row.locator("button[id^=assign-]").get_attribute("id") or "")[7:]
    inbox_violations = await serious_violations(support)
    await support.click(f"#assign-{feedback_id}")
    await support.wait_for_selector("#feedback-message:not([hidden])")
    await open_page(support, "feedback/assigned/S002")
    await support.fill(f"#answer-text-{feedback_id}", "抱歉我们已增开收银台")
    await support.click(f"#answer-{feedback_id}")
    await support.wait_for_selector("#feedback-message:not([hidden])")
    answered = await support.text_content("#feedback-message") or ""
    heading = await support.text_content("h1.page-title")

    await open_view(shopper, "card")
    await open_view(shopper, "feedback")
    seen = await shopper.text_content("#feedback-given") or ""

    assert "2 of 5" in given
    assert "Open" in given
    assert heading == "反馈"
    assert "回复已发送" in answered
    assert "抱歉我们已增开收银台" in seen
    assert "Answered" in seen
    assert form_violations == []
    assert inbox_violations == []


async def test_support_filters_the_timeline_and_adds_a_note_and_a_shopper_complains_in_chinese(
    platform_stack: Stack, browser: Any
) -> None:
    member_id, order_id = await a_member_with_an_order(platform_stack)
    login = new_operator(platform_stack, "support")
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        headers = await signed_in(http, login)
        await settled(
            lambda: http.get(f"/v1/admin/members/{member_id}/timeline", headers=headers),
            lambda answer: len(answer.json()["entries"]) >= 2,
            within=60,
        )
    support = await new_tab(browser, platform_stack)
    await sign_in(support, login)
    await open_page(support, f"members/{member_id}")
    await support.wait_for_selector("#timeline-panel tbody tr")
    everything = await support.text_content("#timeline-panel tbody") or ""
    violations = await serious_violations(support)
    await support.select_option("#timeline-kind", "purchase")
    await support.wait_for_function(
        "() => [...document.querySelectorAll('#timeline-panel tbody tr')].length === 1"
    )
    purchases = await support.text_content("#timeline-panel tbody") or ""
    await support.select_option("#timeline-kind", "")
    await support.fill("#timeline-note", "Asked about the queue at S002")
    await support.click("#timeline-add-note")
    await support.wait_for_selector("#timeline-panel tbody tr >> text=Asked about the queue")
    noted = await support.text_content("#timeline-panel tbody") or ""

    shopper = await new_tab(browser, platform_stack, language="zh-CN", viewport=PHONE)
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        await open_with_handoff(shopper, http, key(platform_stack, "demo", "app"), member_id)
    await open_view(shopper, "feedback")
    await shopper.select_option("#feedback-kind", "complaint")
    await shopper.select_option("#feedback-category", "points")
    await shopper.fill("#feedback-comment", "积分没有到账")
    await shopper.click("#feedback-send")
    await shopper.wait_for_selector("#feedback-given li")
    complained = await shopper.text_content("#feedback-given") or ""
    shopper_violations = await serious_violations(shopper)

    assert "Enrolment" in everything
    assert "Purchase" in everything
    assert order_id in purchases
    assert "Enrolment" not in purchases
    assert "Support note" in noted
    assert "投诉" in complained
    assert "积分" in complained
    assert "待处理" in complained
    assert violations == []
    assert shopper_violations == []
