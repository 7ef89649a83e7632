"""Points operations in a real browser: an admin applies a CSV file of adjustments and
sees the result of every row (sending it again applies nothing twice); support moves
points between two members with a reason."""

from __future__ import annotations

from typing import Any

import httpx

from libs.stack.platform import Stack
from tests.e2e.console_browser import (  # noqa: F401  (fixtures)
    browser_fixture,
    new_tab,
    open_page,
    record_paint,
    recorded,
    serious_violations,
    sign_in,
    tab_fixture,
)
from tests.e2e.gateway_support import enrol, funded_member, key, new_operator
from tests.support.polling import settled


async def test_an_admin_applies_a_csv_of_adjustments_and_sees_each_rows_result(
    platform_stack: Stack, browser: Any
) -> None:
    pos = key(platform_stack, "demo", "pos")
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        first, second = await enrol(http, pos), await enrol(http, pos)
    csv = (
        "member_id,points,reason\n"
        f"{first},120,store reopening gift\n"
        "mem_nobody,50,typo\n"
        f"{second},80,store reopening gift\n"
    ).encode()
    tab = await new_tab(browser, platform_stack)
    await sign_in(tab, platform_stack.credentials["operators"][0])

    paint = await open_page(tab, "points")
    violations = await serious_violations(tab)
    upload = {"name": "gifts.csv", "mimeType": "text/csv", "buffer": csv}
    await tab.set_input_files("#bulk-file", files=[upload])
    await tab.click("#bulk-apply")
    await tab.wait_for_selector("#bulk-report table")
    first_run = await tab.text_content("#bulk-status")
    rejected = await tab.text_content("#bulk-report")
    await tab.click("#bulk-apply")
    await tab.wait_for_function(
        "() => document.querySelector('#bulk-status').textContent.includes('2 applied before')"
    )
    again = await tab.text_content("#bulk-status")
    await recorded(tab, "bulk_adjustment")
    await tab.context.close()  # the tab that sent the file is gone; its record is not
    later = await new_tab(browser, platform_stack)
    await sign_in(later, platform_stack.credentials["operators"][0])
    await open_page(later, "points")
    await later.wait_for_selector("#bulk-report table")
    found_again = await later.text_content("#bulk-status")
    tab = later
    await tab.fill("#op-settings-points-per-unit", "lots")
    await tab.click("#op-settings-submit")
    refused = await tab.wait_for_selector("#op-settings-points-per-unit-error:not([hidden])")

    record_paint("points operations (admin)", paint)
    assert first_run == "3 rows: 2 applied now, 0 applied before, 1 rejected."
    assert "mem_nobody" in (rejected or "")
    assert again == "3 rows: 0 applied now, 2 applied before, 1 rejected."
    assert found_again == again
    assert await refused.text_content()  # the API's refusal, beside its field
    assert violations == []


async def test_support_moves_points_between_two_members_with_a_reason(
    platform_stack: Stack, browser: Any
) -> None:
    pos = key(platform_stack, "demo", "pos")
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        giver, taker = await funded_member(http, pos), await enrol(http, pos)
    tab = await new_tab(browser, platform_stack, language="zh-CN")
    await sign_in(tab, new_operator(platform_stack, "support"))

    await open_page(tab, "points")
    await tab.fill("#op-transfer-from-member-id", giver)
    await tab.fill("#op-transfer-to-member-id", taker)
    await tab.fill("#op-transfer-points", "0")
    await tab.fill("#op-transfer-reason", "家庭共享")
    await tab.click("#op-transfer-submit")
    refused = await (
        await tab.wait_for_selector("#op-transfer-points-error:not([hidden])")
    ).text_content()
    await tab.fill("#op-transfer-points", "100")
    await tab.click("#op-transfer-submit")
    done = await tab.wait_for_selector("#op-transfer-panel .message-info")
    violations = await serious_violations(tab)

    assert refused
    assert "已转移 100 积分" in (await done.text_content() or "")
    assert "298" in (await done.text_content() or "")
    assert await tab.query_selector("#bulk-panel") is None  # bulk files are the admin's
    assert violations == []


async def test_a_file_goes_on_in_the_background_while_the_admin_is_away_and_is_seen_finished(
    platform_stack: Stack, browser: Any
) -> None:
    pos = key(platform_stack, "demo", "pos")
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        members = [await enrol(http, pos) for _ in range(3)]
    rows = [f"{members[n % 3]},2,spring gift {n + 1}" for n in range(300)]
    csv = ("member_id,points,reason\n" + "\n".join(rows) + "\n").encode()
    tab = await new_tab(browser, platform_stack, language="zh-CN")
    await sign_in(tab, platform_stack.credentials["operators"][0])

    await open_page(tab, "points")
    upload = {"name": "spring.csv", "mimeType": "text/csv", "buffer": csv}
    await tab.set_input_files("#bulk-file", files=[upload])
    await tab.click("#bulk-apply")
    await tab.wait_for_function(
        "() => document.querySelector('#bulk-status').textContent.includes('后台')"
    )
    await open_page(tab, "home")  # away while the gateway applies the file
    await tab.context.close()  # and the tab gone
    later = await new_tab(browser, platform_stack, language="zh-CN")
    await sign_in(later, platform_stack.credentials["operators"][0])
    await open_page(later, "points")

    async def status() -> str:
        return await later.text_content("#bulk-status") or ""

    # No row is rejected: the report says so rather than listing any.
    finished = await settled(status, lambda said: said.startswith("共"), within=120, pause=0.5)
    report = await later.text_content("#bulk-report")
    progress = await later.get_attribute("#bulk-progress", "value")
    violations = await serious_violations(later)
    await open_page(later, "operations")
    listed = await (
        await later.wait_for_selector("#operations-list tbody tr:first-child")
    ).text_content()
    violations += await serious_violations(later)
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        balances = [
            (await http.get(f"/v1/members/{m}/points", headers=pos)).json()["available"]
            for m in members
        ]

    assert finished == "共 300 行：本次生效 300 行，之前已生效 0 行，拒绝 0 行。"  # noqa: RUF001
    assert progress == "300"
    assert report == "没有被拒绝的行。"
    for said in ("批量调整文件", "服务器", "已完成", "生效 300 行"):
        assert said in (listed or "")
    assert balances == [200, 200, 200]
    assert violations == []
