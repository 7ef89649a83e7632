"""The campaign builder in a real browser: a marketer builds a purchase campaign for a
segment with a budget, sees the API's refusal next to its field, backtests it and sees the
chart, activates it; a purchase then earns its bonus and the results show it. An auditor
reads campaigns but is offered no change."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
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
from tests.e2e.gateway_support import an_order, enrol, key, new_operator, signed_in
from tests.support.polling import settled


async def a_segment_of_one_member(stack: Stack) -> tuple[str, str, str]:
    """A member enrolled at a store of this test's own, and a segment holding just them
    (other tests, the API fuzzer among them, may place orders of any size)."""
    pos = key(stack, "demo", "pos")
    spend = f"{700000 + secrets.randbelow(90000)}.00"
    store = f"SEG-{secrets.token_hex(4)}"
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as http:
        operator = await signed_in(http, new_operator(stack, "marketer"))
        member_id = await enrol(http, pos, store_id=store)
        past = an_order(member_id, total=spend)
        past["occurred_at"] = (datetime.now(UTC) - timedelta(hours=3)).isoformat()
        assert (await http.post("/v1/orders", json=past, headers=pos)).status_code == 201
        rules = {"window_days": 1, "min_spend": spend, "store_ids": [store]}

        async def size() -> int:
            answer = await http.post(
                "/v1/admin/segments/preview", json={"rules": rules}, headers=operator
            )
            return int(answer.json()["size"])

        assert await settled(size, lambda found: found >= 1) == 1
        name = f"Big spenders {spend}"
        made = await http.post(
            "/v1/admin/segments", json={"name": name, "rules": rules}, headers=operator
        )
        assert made.status_code == 201, made.text
    segment_id: str = made.json()["segment_id"]
    return member_id, segment_id, name


async def test_a_marketer_builds_backtests_and_activates_a_campaign_that_then_pays(
    platform_stack: Stack, browser: Any
) -> None:
    member_id, segment_id, segment_name = await a_segment_of_one_member(platform_stack)
    tab = await new_tab(browser, platform_stack)
    await sign_in(tab, new_operator(platform_stack, "marketer"))
    name = f"Shoe week {secrets.token_hex(3)}"

    await open_page(tab, "campaigns/new")
    builder_violations = await serious_violations(tab)
    await tab.fill("#campaign-name", name)
    await tab.fill("#campaign-effect-factor", "1")  # the API wants more than 1
    await tab.select_option("#campaign-audience-segment-id", segment_id)
    await tab.fill("#campaign-conditions-categories", "shoes")
    await tab.fill("#campaign-budget-points", "5000000")
    await tab.fill("#campaign-limits-per-member", "3")
    await tab.click("#campaign-save")
    factor_error = await (
        await tab.wait_for_selector("#campaign-effect-factor-error:not([hidden])")
    ).text_content()
    await tab.fill("#campaign-effect-factor", "2")
    await tab.click("#campaign-save")
    await tab.wait_for_selector("#campaign-title")
    segment_shown = await tab.text_content("#campaign-definition")

    await tab.click("#backtest-run")
    chart = await tab.wait_for_selector("#backtest-chart svg")
    backtest = await tab.text_content("#backtest-result")
    burn = await tab.text_content("#backtest-budget-chart table")
    backtest_days = await tab.locator("#backtest-chart tbody tr").count()
    backtest_violations = await serious_violations(tab)
    await tab.click("#campaign-activate")
    await tab.wait_for_selector("#campaign-pause")
    status = await tab.text_content("#campaign-definition")

    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        pos = key(platform_stack, "demo", "pos")
        earned = await http.post(
            "/v1/orders", json=an_order(member_id, total="500.00"), headers=pos
        )

    async def results_shown() -> str:
        await tab.reload()
        await tab.wait_for_selector("#campaign-results")
        return str(await tab.text_content("#campaign-results")).replace(" ", "")

    results = await settled(results_shown, lambda text: "Membersreached1" in text, within=20)
    paint = float(await tab.get_attribute("#view", "data-rendered-ms") or 0)
    today = await tab.text_content("#results-points-chart tbody tr:last-child")
    reached_today = await tab.text_content("#results-members-chart tbody tr:last-child")
    over_time = [
        await tab.query_selector(f"#results-{name}-chart svg")
        for name in ("members", "points", "budget", "orders", "spend")
    ]
    results_violations = await serious_violations(tab)
    await tab.click("#campaign-edit")
    await tab.fill("#campaign-name", f"{name} (longer)")
    await tab.click("#campaign-save")
    compared = await (await tab.wait_for_selector("#campaign-compare table")).text_content()
    await tab.click("#campaign-save")
    await tab.wait_for_selector(f"#campaign-title >> text={name} (longer)")
    edited = await tab.text_content("#campaign-definition")

    record_paint("campaign with results (marketer)", paint)
    assert factor_error == "Must be more than 1."  # its code, said in the reader's language
    assert segment_id in (segment_shown or "") or segment_name in (segment_shown or "")
    assert chart is not None
    assert "Points granted" in (backtest or "")
    assert "Budget left" in (burn or "")
    assert backtest_days == 31  # every local day of the 30 replayed, today included
    assert "Active" in (status or "")
    assert earned.status_code == 201, earned.text
    bonus = [line for line in earned.json()["breakdown"] if line["source"] == "campaign"]
    assert [line["points"] for line in bonus] == [500]
    assert "Membersreached1" in results
    assert "Pointsgranted500" in results
    assert (today or "").strip().endswith("500")
    assert (reached_today or "").replace(" ", "").endswith("11")  # that day, and so far
    assert None not in over_time
    assert "Version2" in (edited or "").replace(" ", "")
    assert f"{name} (longer)" in (compared or "")
    assert "Version 1" in (compared or "")
    assert "budget" not in (compared or "")  # only what changes
    assert builder_violations == backtest_violations == results_violations == []


async def test_an_auditor_reads_campaigns_but_is_offered_no_change(
    platform_stack: Stack, browser: Any
) -> None:
    tab = await new_tab(browser, platform_stack, language="zh-CN")
    await sign_in(tab, new_operator(platform_stack, "auditor"))

    paint = await open_page(tab, "campaigns")
    listed = await tab.text_content("#campaigns-list")
    new_button = await tab.query_selector("#campaign-new")
    first = await tab.query_selector("#campaigns-list a")
    if first is not None:
        await first.click()
        await tab.wait_for_selector("#campaign-results")
    changes = await tab.query_selector_all(
        "#campaign-activate, #campaign-pause, #campaign-edit, #backtest-run, #dry-run-run"
    )
    violations = await serious_violations(tab)

    record_paint("campaigns (auditor, Chinese)", paint)
    assert "全部营销活动" in (listed or "")
    assert new_button is None
    assert changes == []
    assert violations == []


async def test_an_analyst_backtests_a_campaign_but_may_not_change_it(
    platform_stack: Stack, browser: Any
) -> None:
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        marketer = await signed_in(http, new_operator(platform_stack, "marketer"))
        body = {
            "name": "Analyst's look",
            "trigger": "purchase",
            "effect": {"type": "bonus_points", "points": 10},
        }
        made = await http.post("/v1/admin/campaigns", json=body, headers=marketer)
        assert made.status_code == 201, made.text
    analyst = new_operator(platform_stack, "analyst")
    tab = await new_tab(browser, platform_stack)
    await sign_in(tab, analyst)

    await open_page(tab, f"campaigns/{made.json()['campaign_id']}")
    await tab.click("#backtest-run")
    chart = await tab.wait_for_selector("#backtest-chart svg")
    changes = await tab.query_selector_all(
        "#campaign-activate, #campaign-pause, #campaign-edit, #dry-run-run"
    )
    violations = await serious_violations(tab)
    await recorded(tab, "backtest")
    await tab.context.close()
    later = await new_tab(browser, platform_stack, language="zh-CN")
    await sign_in(later, analyst)
    await open_page(later, f"campaigns/{made.json()['campaign_id']}")
    kept = await (await later.wait_for_selector("#backtest-result .hint")).text_content()
    chart_again = await later.wait_for_selector("#backtest-chart svg")

    assert chart is not None
    assert changes == []
    assert violations == []
    assert "上次回测" in (kept or "")  # found again after its tab closed, in Chinese
    assert chart_again is not None


async def test_the_builder_says_a_fields_error_in_chinese_from_its_code(
    platform_stack: Stack, browser: Any
) -> None:
    tab = await new_tab(browser, platform_stack, language="zh-CN")
    await sign_in(tab, new_operator(platform_stack, "marketer"))

    await open_page(tab, "campaigns/new")
    await tab.fill("#campaign-name", f"双倍积分 {secrets.token_hex(3)}")
    await tab.fill("#campaign-effect-factor", "1")
    await tab.fill("#campaign-budget-points", "0")
    await tab.click("#campaign-save")
    factor_error = await (
        await tab.wait_for_selector("#campaign-effect-factor-error:not([hidden])")
    ).text_content()
    budget_error = await tab.text_content("#campaign-budget-points-error")
    violations = await serious_violations(tab)

    assert factor_error == "须大于 1。"
    assert budget_error == "须大于 0。"
    assert violations == []


async def test_the_results_chart_the_uplift_with_its_interval_over_time_in_chinese(
    platform_stack: Stack, browser: Any
) -> None:
    pos = key(platform_stack, "demo", "pos")
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
        marketer = await signed_in(http, new_operator(platform_stack, "marketer"))
        body = {
            "name": f"Holdout {secrets.token_hex(3)}",
            "trigger": "purchase",
            "effect": {"type": "bonus_points", "points": 10},
            "holdout_percent": 50,
            "starts_at": (datetime.now(UTC) - timedelta(days=2)).isoformat(),
        }
        made = await http.post("/v1/admin/campaigns", json=body, headers=marketer)
        assert made.status_code == 201, made.text
        campaign_id = made.json()["campaign_id"]
        for _ in range(2):  # orders in the audience (everyone), whatever other tests did
            member_id = await enrol(http, pos)
            placed = await http.post("/v1/orders", json=an_order(member_id), headers=pos)
            assert placed.status_code == 201, placed.text
    tab = await new_tab(browser, platform_stack, language="zh-CN")
    await sign_in(tab, new_operator(platform_stack, "marketer"))
    await open_page(tab, f"campaigns/{campaign_id}")

    async def page_and_api() -> tuple[str, list[dict[str, Any]]]:
        """The chart's last row and the API's days, read one after the other (purchases
        still being recorded move the uplift of an audience of everyone meanwhile)."""
        await tab.reload()
        await tab.wait_for_selector("#results-uplift-chart svg")
        row = await tab.text_content("#results-uplift-chart tbody tr:last-child") or ""
        async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=30) as http:
            answer = await http.get(
                f"/v1/admin/campaigns/{campaign_id}/results/daily", headers=marketer
            )
        found: list[dict[str, Any]] = answer.json()["days"]
        return row, found

    def agree(read: tuple[str, list[dict[str, Any]]]) -> bool:
        row, found = read
        figures = [found[-1][k] for k in ("uplift", "uplift_low", "uplift_high")]
        if figures[0] is None:
            return "—" in row
        return all(f.lstrip("-") in row.replace(",", "") for f in figures)

    today, days = await settled(page_and_api, agree, within=60, pause=1)
    title = await tab.text_content("#results-uplift-chart figcaption")
    shown_days = await tab.locator("#results-uplift-chart tbody tr").count()
    so_far = await tab.query_selector("#results-cumulative-spend-chart svg")
    violations = await serious_violations(tab)

    assert so_far is not None
    assert "置信区间" in (title or "")
    assert shown_days == len(days)
    assert today.startswith(days[-1]["date"][:4])  # the day first, then its figures
    assert violations == []
