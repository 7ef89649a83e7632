"""The analytics pages in a real browser, in English and in Chinese: marketing's dashboard,
retention triangle, RFM grid and churn risk, finance's liability page and a store
manager's page for their stores show the same totals as the API answers the same
operator, on a tenant of the test's own with a small load; a marketer makes a segment of an
RFM cell and sees its size."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx

from libs.stack.platform import Stack
from tests.e2e.console_browser import (  # noqa: F401  (fixtures)
    browser_fixture,
    nav_pages,
    new_tab,
    open_page,
    serious_violations,
    sign_in,
)
from tests.e2e.gateway_support import (
    SHANGHAI,
    Headers,
    an_order,
    enrol,
    http,
    new_key,
    new_operator,
)
from tests.e2e.gateway_support import signed_in as api_session
from tests.support.polling import settled

__all__ = ["http"]  # the fixture
LANGUAGES = {"en": "Dashboard", "zh-CN": "数据看板"}
ORDERS = (("S001", "398.00"), ("S001", "120.50"), ("S002", "88.00"))


async def loaded_tenant(http: httpx.AsyncClient, stack: Stack) -> str:
    """A tenant of its own: three members at two stores, three orders, one return by
    amount, counted by the analytics service before the pages are opened."""
    tenant = f"ac{uuid4().hex[:10]}"
    pos = new_key(stack, tenant, "pos")
    operator = new_key(stack, tenant, "operator")
    rule = {"currency": "CNY", "expiry_policy": "days_after_earning", "expiry_days": 45}
    assert (await http.put("/v1/admin/points/settings", json=rule, headers=operator)).is_success
    valued = {"point_value": "0.01"}
    assert (
        await http.put("/v1/admin/analytics/settings", json=valued, headers=operator)
    ).is_success
    order_ids = []
    for store, total in ORDERS:
        member_id = await enrol(http, pos, store)
        placed = await http.post("/v1/orders", json=an_order(member_id, store, total), headers=pos)
        assert placed.status_code == 201, placed.text
        order_ids.append(placed.json()["order_id"])
    back = {"return_id": f"RET-{uuid4().hex}", "amount": "20.50"}
    returned = await http.post(f"/v1/orders/{order_ids[1]}/returns", json=back, headers=pos)
    assert returned.status_code == 201, returned.text

    async def sales() -> Any:
        return (await http.get("/v1/admin/analytics/sales", headers=operator)).json()

    await settled(
        sales, lambda s: (s["total"]["orders"], s["total"]["returned"]) == (3, "20.50"), within=60
    )
    return tenant


async def report(http: httpx.AsyncClient, headers: Headers, name: str, **params: str) -> Any:
    answer = await http.get(f"/v1/admin/analytics/{name}", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def figures(tab: Any, card: str) -> dict[str, tuple[str, str]]:
    """Each figure the card shows: its raw value and its text read as digits alone."""
    found = await tab.eval_on_selector_all(
        f"#{card} [data-figure]",
        "nodes => nodes.map(n => [n.dataset.figure, n.dataset.value, n.textContent])",
    )
    return {name: (value, re.sub(r"[^0-9.]", "", text)) for name, value, text in found}


def overview_totals(overview: Any) -> dict[str, str]:
    totals = {"enrolments": sum(row["members"] for row in overview["enrolments"])}
    for kind in ("issued", "redeemed", "expired", "reversed"):
        totals[f"points_{kind}"] = sum(day[kind] for day in overview["points"])
    active = overview["active_members"]
    for days in (30, 90, 365):
        totals[f"active_{days}"] = active[f"last_{days}_days"]
    return {name: str(value) for name, value in totals.items()}


def as_read(values: dict[str, str]) -> dict[str, tuple[str, str]]:
    """What the page shows for these values: each raw, and its text without separators."""
    return {name: (value, value) for name, value in values.items()}


async def test_a_marketer_reads_dashboard_retention_and_rfm_in_both_languages_as_the_api(
    http: httpx.AsyncClient, platform_stack: Stack, browser: Any
) -> None:
    tenant = await loaded_tenant(http, platform_stack)
    login = new_operator(platform_stack, "marketer", tenant=tenant)
    api = await api_session(http, login)
    overview = await report(http, api, "overview")
    sales = await report(http, api, "sales")
    retention = await report(http, api, "retention")
    today = date.fromisoformat(retention["range"]["to"])
    year = {"from": (today - timedelta(days=364)).isoformat(), "to": today.isoformat()}
    rfm = await report(http, api, "rfm", **year)

    shown: dict[str, Any] = {}
    for language, title in LANGUAGES.items():
        tab = await new_tab(browser, platform_stack, language=language)
        await sign_in(tab, login)
        await open_page(tab, "dashboard")
        shown[language] = {
            "nav": await tab.text_content("#nav a[href='#/dashboard']"),
            "overview": await figures(tab, "dashboard-overview"),
            "sales": await figures(tab, "dashboard-sales"),
            "chart": await tab.text_content("#dashboard-sales-chart table"),
            "violations": await serious_violations(tab),
        }
        await open_page(tab, "retention")
        shown[language]["retention"] = await figures(tab, "retention-cohorts")
        shown[language]["violations"] += await serious_violations(tab)
        await open_page(tab, "rfm")
        shown[language]["rfm"] = await figures(tab, "rfm-summary") | await figures(tab, "rfm-cells")
        shown[language]["violations"] += await serious_violations(tab)
        assert shown[language]["nav"] == title

    money = {key: sales["total"][key] for key in ("gross", "returned", "net")}
    for language in LANGUAGES:
        assert shown[language]["overview"] == as_read(overview_totals(overview))
        assert shown[language]["sales"] == as_read({"orders": "3", **money})
        assert shown[language]["violations"] == []
    assert money == {"gross": "606.50", "returned": "20.50", "net": "586.00"}
    assert overview_totals(overview)["enrolments"] == "3"
    cohorts = {f"members_{c['cohort']}": str(c["members"]) for c in retention["cohorts"]}
    cells = {
        f"rate_{c['cohort']}_{m['months_after']}": m["rate"] or ""
        for c in retention["cohorts"]
        for m in c["months"]
    }
    assert sum(int(n) for n in cohorts.values()) == 3
    for language in LANGUAGES:
        read = shown[language]["retention"]
        assert {name: value for name, (value, _) in read.items()} == cohorts | cells
        assert all(text == value for name, (value, text) in read.items() if name in cohorts)
    grid = {"members": str(rfm["members"])}
    for c in rfm["cells"]:
        scores = f"{c['recency']}{c['frequency']}{c['monetary']}"
        grid |= {f"members_{scores}": str(c["members"]), f"net_{scores}": c["net"]}
    assert rfm["members"] == 3  # one order each, today: all in recency 5, frequency 1
    for language in LANGUAGES:
        assert shown[language]["rfm"] == as_read(grid)
    assert "586.00" in shown["en"]["chart"]  # the till's net: all of it


async def test_a_marketer_makes_a_segment_of_an_rfm_cell_in_both_languages(
    http: httpx.AsyncClient, platform_stack: Stack, browser: Any
) -> None:
    tenant = await loaded_tenant(http, platform_stack)
    login = new_operator(platform_stack, "marketer", tenant=tenant)
    api = await api_session(http, login)
    rfm = await report(http, api, "rfm")  # every order is today's: any range holds them

    async def bought() -> int:
        body = {"rules": {"window_days": 365, "min_orders": 1}}
        answer = await http.post("/v1/admin/segments/preview", json=body, headers=api)
        assert answer.status_code == 200, answer.text
        return int(answer.json()["size"])

    await settled(bought, lambda n: n == 3, within=60)  # the campaign service has them
    in_cell = [c["members"] for c in rfm["cells"] if (c["recency"], c["frequency"]) == (5, 1)]
    made = {}
    for language in LANGUAGES:
        tab = await new_tab(browser, platform_stack, language=language)
        await sign_in(tab, login)
        await open_page(tab, "rfm")
        await tab.click("#rfm-make-513")
        prefilled = await tab.input_value("#rfm-segment-name")
        await tab.fill("#rfm-segment-name", f"{prefilled} {language}")
        await tab.click("#rfm-segment-save")
        await tab.wait_for_selector("#rfm-segment-size")
        made[language] = (
            prefilled,
            await tab.get_attribute("#rfm-segment-size", "data-value"),
            await tab.text_content("#rfm-segment-link"),
            await serious_violations(tab),
        )
        await tab.click("#rfm-segment-link")
        await tab.wait_for_selector("#segment-builder")

    assert in_cell == [1, 1, 1]  # 398.00 in M3, 100.00 net in M2, 88.00 in M1
    prefilled = {"en": "RFM R5 F1 M3", "zh-CN": "RFM 分群 R5 F1 M3"}
    for language, name in prefilled.items():
        assert made[language] == (name, "1", f"{name} {language}", [])
    listed = (await http.get("/v1/admin/segments", headers=api)).json()["segments"]
    assert sorted((s["name"], s["size"]) for s in listed) == [
        ("RFM R5 F1 M3 en", 1),
        ("RFM 分群 R5 F1 M3 zh-CN", 1),
    ]


async def test_finance_reads_the_liability_in_both_languages_with_the_apis_totals(
    http: httpx.AsyncClient, platform_stack: Stack, browser: Any
) -> None:
    tenant = await loaded_tenant(http, platform_stack)
    login = new_operator(platform_stack, "auditor", tenant=tenant)
    liability = await report(http, await api_session(http, login), "liability")

    shown = {}
    for language in LANGUAGES:
        tab = await new_tab(browser, platform_stack, language=language)
        await sign_in(tab, login)
        pages = await nav_pages(tab)
        await open_page(tab, "finance")
        shown[language] = (
            pages,
            await figures(tab, "finance-liability"),
            await serious_violations(tab),
        )

    wallet = ("available", "held", "pending", "outstanding", "members")
    expected = as_read({key: str(liability[key]) for key in wallet})
    expected |= as_read({key: liability[key] for key in ("point_value", "outstanding_value")})
    for language in LANGUAGES:
        pages, found, violations = shown[language]
        assert [p for p in pages if p in ("dashboard", "finance", "stores")] == ["finance"]
        assert found == expected
        assert violations == []
    assert liability["outstanding"] > 0


async def test_a_store_manager_reads_their_stores_only_in_both_languages(
    http: httpx.AsyncClient, platform_stack: Stack, browser: Any
) -> None:
    tenant = await loaded_tenant(http, platform_stack)
    login = new_operator(platform_stack, "store_manager", ["S001"], tenant=tenant)
    api = await api_session(http, login)
    overview = await report(http, api, "overview")
    sales = await report(http, api, "sales")

    shown = {}
    for language in LANGUAGES:
        tab = await new_tab(browser, platform_stack, language=language)
        await sign_in(tab, login)
        pages = await nav_pages(tab)
        await open_page(tab, "stores")
        found = await figures(tab, "stores-overview") | await figures(tab, "stores-sales")
        by_store = await tab.text_content("#stores-sales-chart table")
        shown[language] = (pages, found, by_store, await serious_violations(tab))

    money = {key: sales["total"][key] for key in ("gross", "returned", "net")}
    for language in LANGUAGES:
        pages, found, by_store, violations = shown[language]
        assert [p for p in pages if p in ("dashboard", "finance", "stores")] == ["stores"]
        assert found == as_read(overview_totals(overview) | {"orders": "2", **money})
        assert "S002" not in (by_store or "")
        assert violations == []
    # S001's two orders; the return was made at no store, so it is not theirs
    assert money == {"gross": "518.50", "returned": "0.00", "net": "518.50"}
    assert overview_totals(overview)["enrolments"] == "2"


def a_bonus_campaign() -> dict[str, Any]:
    now = datetime.now(SHANGHAI)
    return {
        "name": "Shoe bonus",
        "trigger": "purchase",
        "starts_at": (now - timedelta(days=1)).isoformat(),
        "ends_at": (now + timedelta(days=30)).isoformat(),
        "conditions": {"categories": ["shoes"]},
        "effect": {"type": "bonus_points", "points": 25},
        "budget": {"points": 100000},
    }


async def tenant_with_a_lapsing_member(http: httpx.AsyncClient, stack: Stack) -> str:
    """A tenant of its own: a member who bought 20, 15 and 10 days ago (a usual interval
    of a week, the least there is), and one who bought once, today, with a campaign's
    bonus (the earlier orders are before the campaign began)."""
    tenant = f"ac{uuid4().hex[:10]}"
    pos = new_key(stack, tenant, "pos")
    operator = new_key(stack, tenant, "operator")
    rule = {"currency": "CNY", "expiry_policy": "days_after_earning", "expiry_days": 45}
    assert (await http.put("/v1/admin/points/settings", json=rule, headers=operator)).is_success
    valued = {"point_value": "0.01"}
    assert (
        await http.put("/v1/admin/analytics/settings", json=valued, headers=operator)
    ).is_success
    made = await http.post("/v1/admin/campaigns", json=a_bonus_campaign(), headers=operator)
    assert made.is_success, made.text
    campaign_id = made.json()["campaign_id"]
    activated = await http.post(f"/v1/admin/campaigns/{campaign_id}/activate", headers=operator)
    assert activated.is_success, activated.text
    regular, once = await enrol(http, pos, "S001"), await enrol(http, pos, "S002")
    for days_ago in (20, 15, 10):
        order = an_order(regular, "S001", "50.00")
        order["occurred_at"] = (datetime.now(SHANGHAI) - timedelta(days=days_ago)).isoformat()
        placed = await http.post("/v1/orders", json=order, headers=pos)
        assert placed.status_code == 201, placed.text
    placed = await http.post("/v1/orders", json=an_order(once, "S002"), headers=pos)
    assert placed.status_code == 201, placed.text

    async def sales() -> Any:
        return (await http.get("/v1/admin/analytics/sales", headers=operator)).json()

    async def league() -> Any:
        return (await http.get("/v1/admin/analytics/campaigns", headers=operator)).json()

    await settled(sales, lambda s: s["total"]["orders"] == 4, within=60)
    await settled(league, lambda answer: len(answer["campaigns"]) == 1, within=60)
    return tenant


async def test_a_marketer_reads_churn_risk_in_both_languages_as_the_api(
    http: httpx.AsyncClient, platform_stack: Stack, browser: Any
) -> None:
    tenant = await tenant_with_a_lapsing_member(http, platform_stack)
    login = new_operator(platform_stack, "marketer", tenant=tenant)
    api = await api_session(http, login)
    today = date.fromisoformat((await report(http, api, "churn"))["as_of"])
    later = (today + timedelta(days=30)).isoformat()
    churn = await report(http, api, "churn", to=later)

    shown = {}
    for language in LANGUAGES:
        tab = await new_tab(browser, platform_stack, language=language)
        await sign_in(tab, login)
        await open_page(tab, f"churn/{later}")
        found = await figures(tab, "churn-summary") | await figures(tab, "churn-members")
        members = await tab.text_content("#churn-members table")
        shown[language] = (found, members, await serious_violations(tab))

    # gap 40 days against a usual week: 100 x 33 / 40 = 82, no further reason
    assert (churn["assessed"], churn["at_risk"], churn["erased"]) == (1, 1, 0)
    (member,) = churn["members"]
    assert (member["gap_days"], member["usual_interval_days"], member["score"]) == (40, 7, 82)
    assert member["reasons"] == ["beyond_usual_interval"]
    expected = as_read({"assessed": "1", "at_risk": "1", "erased": "0"})
    expected[f"score_{member['member_id']}"] = ("82", "82")
    reason = {"en": "More than twice their usual interval", "zh-CN": "超过通常间隔的两倍"}
    for language in LANGUAGES:
        found, members, violations = shown[language]
        assert found == expected
        assert reason[language] in (members or "")
        assert violations == []


async def test_a_marketer_reads_the_campaign_league_in_both_languages_as_the_api(
    http: httpx.AsyncClient, platform_stack: Stack, browser: Any
) -> None:
    tenant = await tenant_with_a_lapsing_member(http, platform_stack)
    login = new_operator(platform_stack, "marketer", tenant=tenant)
    league = await report(http, await api_session(http, login), "campaigns")

    shown = {}
    for language in LANGUAGES:
        tab = await new_tab(browser, platform_stack, language=language)
        await sign_in(tab, login)
        await open_page(tab, "league")
        found = await figures(tab, "league-table")
        chart = await tab.text_content("#league-chart table")
        shown[language] = (found, chart, await serious_violations(tab))

    (row,) = league["campaigns"]
    assert (row["trigger"], row["reached"], row["grants"], row["points"]) == ("purchase", 1, 1, 25)
    assert row["cost"] == "0.25"
    name = row["campaign_id"]
    expected = as_read({f"reached_{name}": "1", f"grants_{name}": "1", f"points_{name}": "25"})
    expected[f"cost_{name}"] = ("0.25", "0.25")
    for language in LANGUAGES:
        found, chart, violations = shown[language]
        assert found == expected
        assert "25" in (chart or "")
        assert violations == []
