"""Fixtures of the console's browser tests (the rest of the end-to-end tests need none).

`tests.e2e.console_browser` is imported only by a test that asks for a browser, so the
other tests run where Playwright or Chromium is missing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from libs.stack.platform import Stack


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    """A headless Chromium (a Playwright `Browser`; typed loosely, Playwright is optional)."""
    from tests.e2e.console_browser import launched_browser  # noqa: PLC0415  (optional)

    async with launched_browser() as launched:
        yield launched


@pytest.fixture
async def tab(browser: Any, platform_stack: Stack) -> Any:
    """A tab of its own on the gateway, in English, on a desktop-sized window."""
    from tests.e2e.console_browser import new_tab  # noqa: PLC0415  (optional)

    return await new_tab(browser, platform_stack)
