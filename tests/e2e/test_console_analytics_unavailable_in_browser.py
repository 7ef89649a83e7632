"""When the analytics figures cannot be had, the console says why in the reader's language
and shows no figure in their place, in a real browser, in English and in Chinese: a
campaign's results say why its holdout is not compared (a coupon campaign, a rebuilding
read model, a stopped analytics service), and the analytics pages say the reports are
being rebuilt, then show the figures once the rebuild has finished.

With `CONSOLE_SHOTS=<folder>` each state is saved there as a screenshot."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx

from gateway.console.assets import STATIC_DIR
from libs.stack.platform import Stack
from tests.e2e.console_browser import (  # noqa: F401  (fixtures)
    browser_fixture,
    keep_screenshot,
    new_tab,
    open_page,
    serious_violations,
    sign_in,
)
from tests.e2e.coupon_support import template
from tests.e2e.gateway_support import Headers, an_order, enrol, http, new_key, new_operator
from tests.e2e.gateway_support import signed_in as api_session
from tests.e2e.rebuild_support import held_rebuild
from tests.e2e.test_analytics_through_gateway import earning_tenant
from tests.e2e.test_console_analytics_in_browser import (
    as_read,
    figures,
    loaded_tenant,
    overview_totals,
    report,
)
from tests.support.polling import settled

__all__ = ["http"]  # the fixture
LANGUAGES = ("en", "zh-CN")
CAMPAIGNS = "/v1/admin/campaigns"


def said(key: str) -> dict[str, str]:
    """The text of `key` in each language's message table."""
    tables = {
        language: json.loads((STATIC_DIR / f"messages.{language}.json").read_text(encoding="utf-8"))
        for language in LANGUAGES
    }
    return {language: tables[language][key] for language in LANGUAGES}


async def holdout_campaign(http: httpx.AsyncClient, operator: Headers, effect: Any) -> str:
    """An active campaign of the tenant's that holds half its audience out."""
    body = {
        "name": f"Holdout {uuid4().hex[:6]}",
        "trigger": "purchase",
        "effect": effect,
        "holdout_percent": 50,
        "starts_at": (datetime.now(UTC) - timedelta(days=1)).isoformat(),
    }
    made = await http.post(CAMPAIGNS, json=body, headers=operator)
    assert made.status_code == 201, made.text
    campaign_id: str = made.json()["campaign_id"]
    activated = await http.post(f"{CAMPAIGNS}/{campaign_id}/activate", headers=operator)
    assert activated.status_code == 200, activated.text
    return campaign_id


async def a_bonus_campaign_with_a_holdout(
    http: httpx.AsyncClient, stack: Stack
) -> tuple[str, str, Headers]:
    """A tenant of its own with a bonus campaign holding out half of everyone, a member's
    order counted by the analytics service and its comparison answered: the tenant, the
    campaign and an operator's key."""
    tenant, pos, operator = await earning_tenant(http, stack, "hu")
    campaign_id = await holdout_campaign(http, operator, {"type": "bonus_points", "points": 10})
    member_id = await enrol(http, pos)
    placed = await http.post("/v1/orders", json=an_order(member_id), headers=pos)
    assert placed.status_code == 201, placed.text
    await settled(results_of(http, operator, campaign_id), compared, within=60)
    return tenant, campaign_id, operator


def results_of(http: httpx.AsyncClient, operator: Headers, campaign_id: str) -> Any:
    async def read() -> Any:
        answer = await http.get(f"{CAMPAIGNS}/{campaign_id}", headers=operator)
        assert answer.status_code == 200, answer.text
        return answer.json()["results"]

    return read


def compared(results: Any) -> bool:
    holdout = results["holdout"]
    return holdout is not None and holdout["targeted"]["orders"] + holdout["held_out"]["orders"] > 0


async def results_shown(
    browser: Any, stack: Stack, login: dict[str, str], campaign_id: str, state: str
) -> dict[str, tuple[str, bool, list[str]]]:
    """In each language: the results card's text, whether it charts the comparison, and
    axe's findings on the campaign's page."""
    shown = {}
    for language in LANGUAGES:
        tab = await new_tab(browser, stack, language=language)
        await sign_in(tab, login)
        await open_page(tab, f"campaigns/{campaign_id}")
        await tab.wait_for_selector("#campaign-results")
        await keep_screenshot(tab, f"campaign-results-{state}.{language}")
        shown[language] = (
            await tab.text_content("#campaign-results") or "",
            await tab.query_selector("#holdout-chart") is not None,
            await serious_violations(tab),
        )
        await tab.context.close()
    return shown


def assert_says(shown: tuple[str, bool, list[str]], text: str) -> None:
    """The results card says `text`, charts no comparison, and axe finds nothing serious."""
    card, charted, violations = shown
    assert text in card
    assert (charted, violations) == (False, [])


async def test_a_coupon_campaigns_results_say_in_both_languages_why_they_are_not_compared(
    http: httpx.AsyncClient, platform_stack: Stack, browser: Any
) -> None:
    tenant = f"hu{uuid4().hex[:10]}"
    operator = new_key(platform_stack, tenant, "operator")
    offer = await template(http, operator)
    effect = {"type": "coupon", "template_id": offer["template_id"]}
    campaign_id = await holdout_campaign(http, operator, effect)
    results = await results_of(http, operator, campaign_id)()
    login = new_operator(platform_stack, "marketer", tenant=tenant)

    shown = await results_shown(browser, platform_stack, login, campaign_id, "coupon")

    assert (results["holdout"], results["holdout_unavailable"]) == (
        None,
        "marketing_consent_unknown",
    )
    text = said("results.holdout_unavailable.marketing_consent_unknown")
    for language in LANGUAGES:
        assert_says(shown[language], text[language])
    assert "同意" in text["zh-CN"]


async def test_a_campaigns_results_say_the_reports_are_being_rebuilt_then_compare_again(
    http: httpx.AsyncClient, platform_stack: Stack, browser: Any
) -> None:
    tenant, campaign_id, operator = await a_bonus_campaign_with_a_holdout(http, platform_stack)
    login = new_operator(platform_stack, "marketer", tenant=tenant)
    read = results_of(http, operator, campaign_id)

    async with held_rebuild(platform_stack) as finish:
        waiting = await settled(read, lambda r: r["holdout"] is None, within=30)
        while_rebuilt = await results_shown(
            browser, platform_stack, login, campaign_id, "rebuilding"
        )
        await finish()
    await settled(read, compared, within=60)
    after = await results_shown(browser, platform_stack, login, campaign_id, "compared")

    assert waiting["holdout_unavailable"] == "analytics_rebuilding"
    text = said("results.holdout_unavailable.analytics_rebuilding")
    for language in LANGUAGES:
        assert_says(while_rebuilt[language], text[language])
        shown_after, charted, violations = after[language]
        assert (charted, violations) == (True, [])
        assert text[language] not in shown_after


async def test_a_campaigns_results_say_the_analytics_service_did_not_answer_while_it_is_stopped(
    http: httpx.AsyncClient, platform_stack: Stack, browser: Any
) -> None:
    tenant, campaign_id, operator = await a_bonus_campaign_with_a_holdout(http, platform_stack)
    login = new_operator(platform_stack, "marketer", tenant=tenant)
    read = results_of(http, operator, campaign_id)
    analytics = platform_stack.handle("analytics")

    await asyncio.to_thread(analytics.stop)
    try:
        stopped = await read()
        while_stopped = await results_shown(
            browser, platform_stack, login, campaign_id, "analytics-stopped"
        )
    finally:
        await asyncio.to_thread(analytics.start)
    back = await settled(read, compared, within=90, pause=1)

    assert (stopped["holdout"], stopped["holdout_unavailable"]) == (None, "analytics_unavailable")
    assert stopped["members_reached"] == back["members_reached"]  # the rest still answered
    text = said("results.holdout_unavailable.analytics_unavailable")
    for language in LANGUAGES:
        assert_says(while_stopped[language], text[language])


async def test_the_dashboard_says_the_reports_are_being_rebuilt_then_shows_the_apis_figures(
    http: httpx.AsyncClient, platform_stack: Stack, browser: Any
) -> None:
    tenant = await loaded_tenant(http, platform_stack)
    login = new_operator(platform_stack, "marketer", tenant=tenant)
    api = await api_session(http, login)
    overview = await report(http, api, "overview")

    async def overview_answer() -> tuple[int, str]:
        answer = await http.get("/v1/admin/analytics/overview", headers=api)
        return answer.status_code, answer.json().get("code", "")

    tabs, waiting = {}, {}
    async with held_rebuild(platform_stack) as finish:
        refused = await settled(overview_answer, lambda a: a[0] != 200, within=30)
        for language in LANGUAGES:
            tab = tabs[language] = await new_tab(browser, platform_stack, language=language)
            await sign_in(tab, login)
            await open_page(tab, "dashboard")
            await keep_screenshot(tab, f"dashboard-rebuilding.{language}")
            waiting[language] = (
                await tab.text_content("#page-failed"),
                await tab.locator("#view [data-figure], #view svg, #view table").count(),
                await serious_violations(tab),
            )
        await finish()
    await settled(overview_answer, lambda a: a[0] == 200, within=30)
    shown = {}
    for language, tab in tabs.items():
        await tab.click("#page-try-again")
        await tab.wait_for_selector("#dashboard-overview")
        await keep_screenshot(tab, f"dashboard-rebuilt.{language}")
        shown[language] = (
            await figures(tab, "dashboard-overview"),
            await tab.query_selector("#page-failed") is None,
            await serious_violations(tab),
        )

    assert refused == (503, "analytics_rebuilding")
    text = said("problem.analytics_rebuilding")
    for language in LANGUAGES:
        assert waiting[language] == (text[language], 0, [])
        assert shown[language] == (as_read(overview_totals(overview)), True, [])
