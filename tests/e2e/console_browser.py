"""What the console's browser tests share: a headless Chromium on the running platform,
signing in, the accessibility check of each page and the first paint of each page.

Needs Playwright for Python and Debian's `chromium`; a test using the `browser` or `tab`
fixture (below) is skipped where either is missing. `CONSOLE_PAINTS` names
a file to which each page's first meaningful paint is appended (one JSON line per page),
for the record, not asserted; `CONSOLE_SHOTS` names a folder where the tests that take
screenshots of a page's states save them (to look at, not compared).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from libs.stack.platform import Stack

playwright_api = pytest.importorskip("playwright.async_api")
axe_api = pytest.importorskip("axe_playwright_python.async_playwright")
CHROMIUM = shutil.which("chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TABLET = {"width": 820, "height": 1180}
BLOCKING = ("serious", "critical")


@asynccontextmanager
async def launched_browser() -> AsyncIterator[Any]:
    if CHROMIUM is None:
        pytest.skip("needs Debian's chromium")
    async with playwright_api.async_playwright() as driver:
        launched = await driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield launched
        finally:
            await launched.close()


async def new_tab(
    browser: Any, stack: Stack, *, language: str = "en", viewport: dict[str, int] | None = None
) -> Any:
    """A tab of its own (own cookies) whose browser prefers `language`."""
    context = await browser.new_context(
        base_url=stack.gateway_url,
        locale=language,
        viewport=viewport or {"width": 1280, "height": 900},
    )
    tab = await context.new_page()
    tab.set_default_timeout(60_000)  # generous: the machine may be busy with other work
    return tab


async def sign_in(tab: Any, login: dict[str, str], *, query: str = "") -> None:
    await tab.goto(f"/console{query}")
    await tab.fill("#tenant-id", login["tenant_id"])
    await tab.fill("#email", login["email"])
    await tab.fill("#password", login["password"])
    await tab.click("#sign-in-button")
    await tab.wait_for_selector("#workspace:not([hidden])")
    await rendered(tab, "home")


async def recorded(tab: Any, kind: str) -> None:
    """Wait until the page's latest long operation of `kind` is recorded as finished with
    the API (the record is written just after the page draws the result)."""
    script = """async (kind) => {
        const answer = await fetch(`/v1/admin/operations?kind=${kind}&limit=1`);
        const found = (await answer.json()).operations || [];
        return found.length > 0 && found[0].state !== "running";
    }"""
    for _ in range(100):
        if await tab.evaluate(script, kind):
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"no finished {kind} recorded")


async def rendered(tab: Any, page: str) -> None:
    """Wait until the view shows `page`, fully drawn."""
    await tab.wait_for_selector(f'#view[data-page="{page}"]')


async def open_page(tab: Any, route: str) -> float:
    """Go to `#/<route>` and answer how long the page took to draw (ms)."""
    await tab.evaluate("route => { location.hash = '#/' + route; }", route)
    await rendered(tab, route.split("/", 1)[0])
    return float(await tab.get_attribute("#view", "data-rendered-ms") or 0)


async def nav_pages(tab: Any) -> list[str]:
    links = await tab.query_selector_all("#nav a")
    return [str(await link.get_attribute("href")).removeprefix("#/") for link in links]


async def serious_violations(tab: Any) -> list[str]:
    """axe-core's serious and critical findings on what the tab shows now."""
    results = await axe_api.Axe().run(tab)
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes)"
        for violation in results.response["violations"]
        if violation.get("impact") in BLOCKING
    ]


def record_paint(name: str, milliseconds: float) -> None:
    target = os.environ.get("CONSOLE_PAINTS")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(json.dumps({"page": name, "ms": round(milliseconds)}) + "\n")


async def keep_screenshot(tab: Any, name: str) -> None:
    """With `CONSOLE_SHOTS`, save the whole page the tab shows as `<name>.png` there."""
    folder = os.environ.get("CONSOLE_SHOTS")
    if folder:
        await asyncio.to_thread(Path(folder).mkdir, parents=True, exist_ok=True)
        await tab.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


async def first_paint_of_load(tab: Any) -> float:
    """The document's first contentful paint (ms after navigation started)."""
    value = await tab.evaluate(
        "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || 0"
    )
    return float(value)


def _read(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


async def downloaded_text(tab: Any, selector: str) -> str:
    """Click `selector`, which downloads a file, and answer the file's text."""
    async with tab.expect_download() as downloading:
        await tab.click(selector)
    download = await downloading.value
    return await asyncio.to_thread(_read, str(await download.path()))


# The fixtures, imported by each browser test module (`from tests.e2e.console_browser
# import browser_fixture, tab_fixture`), so the other end-to-end tests need no Playwright.
@pytest.fixture(name="browser")
async def browser_fixture() -> AsyncIterator[Any]:
    """A headless Chromium (a Playwright `Browser`; typed loosely, Playwright is optional)."""
    async with launched_browser() as launched:
        yield launched


@pytest.fixture(name="tab")
async def tab_fixture(browser: Any, platform_stack: Stack) -> Any:
    """A tab of its own on the gateway, in English, on a desktop-sized window."""
    return await new_tab(browser, platform_stack)
