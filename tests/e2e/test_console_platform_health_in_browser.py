"""The platform's health on the console's home page, in a real browser: an admin (in
English) and an auditor (in Chinese) see every process, each service's outbox and
consumers and the gateway's calls to it, with the very figures the API answered the page."""

from __future__ import annotations

import re
from typing import Any

import httpx

from libs.stack.platform import Stack
from tests.e2e.console_browser import (  # noqa: F401  (fixtures)
    browser_fixture,
    new_tab,
    serious_violations,
    sign_in,
)
from tests.e2e.gateway_support import new_operator, signed_in

HEALTH = "/v1/admin/platform/health"
PROCESSES = ["gateway", "mongo", "member", "points", "campaign", "analytics"]
TITLES = {"en": "Platform health", "zh-CN": "平台运行状况"}


def as_js(value: Any) -> str:
    """A JSON value as the page's `String(value)` writes it (null: empty)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def expected_figures(answer: dict[str, Any]) -> dict[str, str]:
    """What the page must show for the API's answer: each figure's raw value by name."""
    found = {"reconciliation.drifting_members": as_js(answer["reconciliation"]["drifting_members"])}
    for row in answer["processes"]:
        name = row["process"]
        found[f"{name}.restarts"] = as_js(row["restarts"])
        for key, value in (row["outbox"] or {}).items():
            found[f"{name}.outbox.{key}"] = as_js(value)
        for key, value in (row["calls"] or {}).items():
            found[f"{name}.calls.{key}"] = as_js(value)
        for consumer in row["consumers"]:
            for key in ("pending", "ack_pending", "redeliveries"):
                found[f"{name}.{consumer['durable']}.{key}"] = as_js(consumer[key])
    return found


async def shown_figures(tab: Any) -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = await tab.eval_on_selector_all(
        "#health-panel [data-figure]",
        "nodes => nodes.map(n => [n.dataset.figure, n.dataset.value, n.textContent])",
    )
    return found


async def opened_home(tab: Any, login: dict[str, str]) -> dict[str, Any]:
    """Sign in and wait for the health card; the answer the page got from the API."""
    async with tab.expect_response(lambda r: r.url.endswith(HEALTH)) as answered:
        await sign_in(tab, login)
    response = await answered.value
    assert response.status == 200
    await tab.wait_for_selector("#health-panel table")
    body: dict[str, Any] = await response.json()
    return body


async def test_admins_and_auditors_see_the_platforms_health_as_the_api_answered_it(
    platform_stack: Stack, browser: Any
) -> None:
    admin = new_operator(platform_stack, "admin")
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=60) as http:
        headers = await signed_in(http, admin)
        reconciled = await http.post("/v1/admin/points/reconciliation", headers=headers)
        assert reconciled.status_code == 200, reconciled.text

    for language, role in (("en", "admin"), ("zh-CN", "auditor")):
        tab = await new_tab(browser, platform_stack, language=language)
        answer = await opened_home(
            tab, admin if role == "admin" else new_operator(platform_stack, role)
        )
        shown = await shown_figures(tab)
        title = await tab.text_content("#health-panel-title")
        violations = await serious_violations(tab)

        assert title == TITLES[language]
        assert [row["process"] for row in answer["processes"]] == PROCESSES
        services = [row for row in answer["processes"] if row["calls"] is not None]
        assert {row["process"]: row["figures_read"] for row in services} == dict.fromkeys(
            PROCESSES[2:], True
        )
        assert answer["reconciliation"]["drifting_members"] == 0
        assert {name: value for name, value, _ in shown} == expected_figures(answer), language
        whole = [(value, text) for _, value, text in shown if value.isdigit()]
        assert whole
        assert [(value, text) for value, text in whole if re.sub(r"\D", "", text) != value] == []
        assert violations == [], language
