"""Retake the console's, the virtual till's and the member centre's screenshots for the
README and docs from a running demo.

    python -m tests.screenshots [OUT_DIR] [console] [till] [centre]
        (default docs/screenshots, all three; `make screenshots`)

Starts the whole platform on free ports (as the end-to-end tests do), gives the demo
tenant a member with some history and a campaign, signs in as each role in English and in
Simplified Chinese, and saves one PNG per page and language; then opens the till with a
store key and rings up a sale for that member (a coupon, points held), before and after
payment with its API calls shown; then gives the demo tenant a brand colour and logo and
opens the member centre for that member on a phone, as their app would (a hand-off code),
and signed out. Needs Playwright for Python
and Debian's `chromium` with a CJK font (`make browser`).
"""

from __future__ import annotations

import asyncio
import base64
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import async_playwright

from libs.stack.platform import Stack
from tests.e2e.centre_browser import PHONE, open_view, open_with_handoff
from tests.e2e.console_browser import ARGS, CHROMIUM, TABLET, new_tab, open_page, sign_in
from tests.e2e.gateway_support import (
    an_order,
    key,
    new_operator,
    new_phone,
    signed_in,
    store_key,
)
from tests.e2e.till_browser import identify, open_till_with_key, ring_up
from tests.support.environ import hermetic_environ

LANGUAGES = ("en", "zh-CN")
VIEWPORT = {"width": 1280, "height": 900}


def login_of(operator: dict[str, str]) -> dict[str, str]:
    return {name: operator[name] for name in ("tenant_id", "email", "password")}


def days_ago(order: dict[str, Any], days: int) -> dict[str, Any]:
    at = datetime.fromisoformat(order["occurred_at"]) - timedelta(days=days)
    return {**order, "occurred_at": at.isoformat(timespec="seconds")}


async def shoppers(http: httpx.AsyncClient, pos: dict[str, str]) -> list[str]:
    """A dozen members, enrolled at a till (so in the campaign's segment)."""
    found = []
    for _ in range(12):
        body = {"store_id": "S002", "identities": [{"type": "phone", "value": new_phone()}]}
        found.append((await http.post("/v1/members", json=body, headers=pos)).json()["member_id"])
    return found


async def week_of_shopping(http: httpx.AsyncClient, pos: dict[str, str], who: list[str]) -> None:
    """Their purchases over the last week, for the campaign's results over time."""
    for n, shopper in enumerate(who):
        for day in range(n % 4, 7, 2):
            order = an_order(shopper, store_id="S002", total=f"{120 + 37 * n + 11 * day}.00")
            await http.post("/v1/orders", json=days_ago(order, day), headers=pos)


async def demo_data(stack: Stack) -> dict[str, str]:
    """A member with purchases, returns, redemptions (one held, about to expire), consents
    changed and an adjustment; shoppers buying over the last week; a segment, an active
    campaign for it since a week with a budget nearly spent and a holdout, and one ending
    in three days; a bulk adjustment file and a backtest run in the background."""
    pos = key(stack, "demo", "pos")
    phone = new_phone()
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as http:
        admin = await signed_in(http, login_of(stack.credentials["operators"][0]))
        body = {
            "store_id": "S001",
            "identities": [{"type": "phone", "value": phone}],
            "profile": {"name": "Li Lei", "email": "li.lei@example.com"},
            "consents": {"marketing": True},
        }
        member_id = (await http.post("/v1/members", json=body, headers=pos)).json()["member_id"]
        for total in ("398.00", "129.00", "1250.00"):
            await http.post("/v1/orders", json=an_order(member_id, total=total), headers=pos)
        await http.post(
            f"/v1/admin/members/{member_id}/points/adjustments",
            json={"adjustment_id": f"shots-{member_id}", "points": 200, "reason": "Late delivery"},
            headers=admin,
        )
        crowd = await shoppers(http, pos)
        segment = await http.post(
            "/v1/admin/segments",
            json={"name": "Store till members", "rules": {"channels": ["pos"]}},
            headers=admin,
        )
        campaign = {
            "name": "Double points on shoes",
            "trigger": "purchase",
            "starts_at": (datetime.now(UTC) - timedelta(days=7)).isoformat(),
            "conditions": {"categories": ["shoes"], "min_total": "100.00"},
            "audience": {"segment_id": segment.json()["segment_id"]},
            "effect": {"type": "multiplier", "factor": 2},
            "budget": {"points": 9000},
            "limits": {"per_member": 3},
            "holdout_percent": 10,
        }
        made = await http.post("/v1/admin/campaigns", json=campaign, headers=admin)
        campaign_id = made.json()["campaign_id"]
        await http.post(f"/v1/admin/campaigns/{campaign_id}/activate", headers=admin)
        await week_of_shopping(http, pos, crowd)
        # Long operations the gateway runs, for the Operations page.
        gifts = "".join(f"{shopper},50,Spring welcome\n" for shopper in crowd)
        await http.post(
            "/v1/admin/points/adjustments/bulk",
            params={"async": "true", "file_id": f"spring-{member_id}"},
            content=f"member_id,points,reason\n{gifts}mem_unknown,10,typo\n",
            headers={**admin, "Content-Type": "text/csv"},
        )
        await http.post(
            f"/v1/admin/campaigns/{campaign_id}/backtest",
            params={"async": "true"},
            json={"days": 30},
            headers=admin,
        )
        bought = an_order(member_id, total="1599.00")
        await http.post("/v1/orders", json=bought, headers=pos)
        await http.post(
            f"/v1/orders/{bought['order_id']}/returns",
            json={"return_id": f"R-{member_id[-8:]}", "amount": "400.00"},
            headers=pos,
        )
        for points, capture, seconds in ((300, True, 900), (150, False, 1500)):
            redemption = {"member_id": member_id, "points": points, "store_id": "S001"}
            redemption |= {"capture": capture, "hold_seconds": seconds}
            await http.post("/v1/redemptions", json=redemption, headers=pos)
        await http.put(
            f"/v1/members/{member_id}/consents",
            json={"consents": {"marketing": True, "profiling": False}, "source": "console"},
            headers=admin,
        )
        template = {
            "name": "CNY 20 off CNY 200",
            "discount": {"kind": "amount_off", "amount": "20.00", "currency": "CNY"},
            "min_total": "200.00",
            "validity": {"days": 30},
        }
        await http.post("/v1/admin/coupon-templates", json=template, headers=admin)
        weekend = {
            "name": "Weekend bonus",
            "trigger": "purchase",
            "ends_at": (datetime.now(UTC) + timedelta(days=3)).isoformat(),
            "effect": {"type": "bonus_points", "points": 50},
        }
        made_weekend = await http.post("/v1/admin/campaigns", json=weekend, headers=admin)
        weekend_id = made_weekend.json()["campaign_id"]
        await http.post(f"/v1/admin/campaigns/{weekend_id}/activate", headers=admin)
    return {"member_id": member_id, "phone": phone, "campaign_id": campaign_id}


# (role, file name, route, a button to press first or None); `{member_id}` and
# `{campaign_id}` are filled in.
SHOTS = (
    ("admin", "home", "home", None),
    ("support", "member-360", "members/{member_id}", None),
    ("marketer", "members-without-personal-data", "members", None),
    ("marketer", "campaigns", "campaigns", None),
    ("marketer", "campaign-builder", "campaigns/new", None),
    ("marketer", "campaign-backtest-and-results", "campaigns/{campaign_id}", "#backtest-run"),
    ("marketer", "segments", "segments", None),
    ("marketer", "tiers", "tiers", None),
    ("marketer", "coupons", "coupons", None),
    ("admin", "points-operations", "points", None),
    ("admin", "access", "access", None),
    ("admin", "dashboard", "dashboard", None),
    ("marketer", "retention", "retention", None),
    ("marketer", "rfm", "rfm", None),
    ("auditor", "finance", "finance", None),
    ("auditor", "audit", "audit", None),
    ("admin", "approvals", "approvals", None),
    ("admin", "webhooks", "webhooks", None),
    ("admin", "operations", "operations", None),
)


# Pages whose whole length is a long list: their first screen is enough.
FIRST_SCREEN = {"audit"}


async def shoot(tab: Any, route: str, press: str | None, path: Path) -> None:
    await open_page(tab, route)
    if press is not None:
        await tab.click(press)
        await tab.wait_for_selector("#backtest-chart svg")
    whole = route.split("/", 1)[0] not in FIRST_SCREEN
    await tab.screenshot(path=str(path), full_page=whole)


async def take(stack: Stack, out: Path, data: dict[str, str]) -> list[Path]:
    taken: list[Path] = []
    logins = {role: new_operator(stack, role) for role, *_ in SHOTS if role != "admin"}
    logins["admin"] = stack.credentials["operators"][0]
    async with async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for language in LANGUAGES:
            signed: dict[str, Any] = {}
            for role, name, route, press in SHOTS:
                if role not in signed:
                    signed[role] = await new_tab(
                        browser, stack, language=language, viewport=VIEWPORT
                    )
                    await sign_in(signed[role], logins[role])
                path = out / f"{name}.{language}.png"
                await shoot(signed[role], route.format(**data), press, path)
                taken.append(path)
            sign_in_tab = await new_tab(browser, stack, language=language, viewport=VIEWPORT)
            await sign_in_tab.goto("/console")
            await sign_in_tab.wait_for_selector("#sign-in-panel:not([hidden])")
            path = out / f"sign-in.{language}.png"
            await sign_in_tab.screenshot(path=str(path))
            taken.append(path)
            tablet = await new_tab(browser, stack, language=language, viewport=TABLET)
            await sign_in(tablet, logins["support"])
            path = out / f"member-360.tablet.{language}.png"
            await shoot(tablet, f"members/{data['member_id']}", None, path)
            taken.append(path)
        await browser.close()
    return taken


async def till_secret(stack: Stack, member_id: str) -> tuple[str, dict[str, str]]:
    """A POS key bound to store S001, and a coupon of the member's per language."""
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as http:
        admin = await signed_in(http, login_of(stack.credentials["operators"][0]))
        pos = await store_key(http, admin, "S001")
        templates = (await http.get("/v1/admin/coupon-templates", headers=admin)).json()
        template_id = next(
            found["template_id"]
            for found in templates["templates"]
            if found["name"] == "CNY 20 off CNY 200"  # demo_data's
        )
        coupons: dict[str, str] = {}
        for language in LANGUAGES:
            issued = await http.post(
                f"/v1/admin/members/{member_id}/coupons",
                json={"template_id": template_id, "issue_key": f"till-{language}-{member_id}"},
                headers=admin,
            )
            coupons[language] = issued.json()["code"]
    return pos["Authorization"].removeprefix("Bearer "), coupons


async def take_till(stack: Stack, out: Path, data: dict[str, str]) -> list[Path]:
    """The till in each language: a sale rung up with a coupon and points held (its
    preview shown), then its receipt with the API calls opened."""
    taken: list[Path] = []
    secret, coupons = await till_secret(stack, data["member_id"])
    async with async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for language in LANGUAGES:
            tab = await new_tab(browser, stack, language=language, viewport=VIEWPORT)
            await open_till_with_key(tab, secret)
            await identify(tab, "phone", data["phone"], data["member_id"])
            await ring_up(tab, "SHOE-1", "shoes", 1, "299.00")
            await ring_up(tab, "SOCK-2", "accessories", 2, "49.50")
            await tab.fill("#coupon-code", coupons[language])
            await tab.press("#coupon-code", "Enter")
            await tab.wait_for_selector("#coupon-applied, #cart-message:not([hidden])")
            if await tab.is_visible("#cart-message"):
                raise RuntimeError(await tab.text_content("#cart-message"))
            await tab.click("#evaluate")
            await tab.wait_for_selector("#preview-points")
            await tab.fill("#redeem-points", "100")
            await tab.press("#redeem-points", "Enter")
            await tab.wait_for_selector("#hold-held")
            path = out / f"till-sale.{language}.png"
            await tab.screenshot(path=str(path), full_page=True)
            taken.append(path)
            await tab.click("#pay")
            await tab.wait_for_selector("#receipt-balance")
            await tab.click("#api-log-summary")
            path = out / f"till-receipt.{language}.png"
            await tab.screenshot(path=str(path), full_page=True)
            taken.append(path)
            tablet = await new_tab(browser, stack, language=language, viewport=TABLET)
            await tablet.goto("/till")
            await tablet.wait_for_selector("#sign-in-panel:not([hidden])")
            path = out / f"till-sign-in.tablet.{language}.png"
            await tablet.screenshot(path=str(path), full_page=True)
            taken.append(path)
        await browser.close()
    return taken


LOGO = (  # a small SVG mark for the demo brand
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">'
    '<circle cx="16" cy="16" r="15" fill="#7a1f5c"/><path d="M10 8h6a8 8 0 0 1 0 16h-6z" '
    'fill="#fff"/></svg>'
)
CENTRE_VIEWS = ("card", "activity", "coupons", "me")


async def brand_the_demo(stack: Stack, member_id: str) -> None:
    """The demo tenant's colour and logo, and a coupon for the member to show."""
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as http:
        admin = await signed_in(http, login_of(stack.credentials["operators"][0]))
        logo = "data:image/svg+xml;base64," + base64.b64encode(LOGO.encode()).decode()
        body = {"display_name": "Demo Brand", "colour": "#7A1F5C", "logo": logo}
        branded = await http.put("/v1/admin/branding", json=body, headers=admin)
        branded.raise_for_status()
        templates = (await http.get("/v1/admin/coupon-templates", headers=admin)).json()
        template_id = next(
            found["template_id"]
            for found in templates["templates"]
            if found["name"] == "CNY 20 off CNY 200"  # demo_data's
        )
        issued = await http.post(
            f"/v1/admin/members/{member_id}/coupons",
            json={"template_id": template_id, "issue_key": f"centre-{member_id}"},
            headers=admin,
        )
        issued.raise_for_status()


async def take_centre(stack: Stack, out: Path, data: dict[str, str]) -> list[Path]:
    """The member centre on a phone in each language: the member's card, history, coupons
    and details, opened from the app with a hand-off code; and its sign-in page."""
    taken: list[Path] = []
    await brand_the_demo(stack, data["member_id"])
    app = key(stack, "demo", "app")
    async with (
        async_playwright() as driver,
        httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as http,
    ):
        browser = await driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for language in LANGUAGES:
            tab = await new_tab(browser, stack, language=language, viewport=PHONE)
            await open_with_handoff(tab, http, app, data["member_id"])
            for view in CENTRE_VIEWS:
                await open_view(tab, view)
                path = out / f"member-centre-{view}.{language}.png"
                await tab.screenshot(path=str(path), full_page=True)
                taken.append(path)
            signed_out = await new_tab(browser, stack, language=language, viewport=PHONE)
            await signed_out.goto("/m?tenant=demo")
            await signed_out.wait_for_selector("html[data-centre=signed-out]")
            path = out / f"member-centre-sign-in.{language}.png"
            await signed_out.screenshot(path=str(path), full_page=True)
            taken.append(path)
        await browser.close()
    return taken


async def main(out: Path, parts: set[str]) -> None:
    with (
        tempfile.TemporaryDirectory() as root,
        (Path(root) / "stack.log").open("w", encoding="utf-8") as log,
        Stack(Path(root), free_ports=True, env=hermetic_environ(), log_sink=log) as stack,
    ):
        data = await demo_data(stack)
        taken = await take(stack, out, data) if "console" in parts else []
        taken += await take_till(stack, out, data) if "till" in parts else []
        taken += await take_centre(stack, out, data) if "centre" in parts else []
        for path in taken:
            sys.stdout.write(f"{path}\n")


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    target.mkdir(parents=True, exist_ok=True)
    asyncio.run(main(target, set(sys.argv[2:]) or {"console", "till", "centre"}))
