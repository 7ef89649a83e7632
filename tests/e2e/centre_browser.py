"""What the member centre's browser tests and the screenshot script share: a phone-sized
tab, signing a shopper in with the one-time code the development sender kept (read through
the operator API, as the console's Sign-in codes page does), or arriving from the app with
a hand-off code, and opening a view."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.polling import eventually

PHONE = {"width": 390, "height": 844}
Headers = dict[str, str]


async def kept_code(http: httpx.AsyncClient, operator: Headers, phone: str) -> str:
    """The last code the development sender kept for `phone` (an admin or support reads it)."""

    found: list[str] = []

    async def sent() -> bool:
        kept = await http.get("/v1/admin/member-code-messages", headers=operator)
        assert kept.status_code == 200, kept.text
        found[:] = [m["text"][:6] for m in kept.json()["messages"] if m["to"] == phone]
        return bool(found)

    await eventually(sent)
    return found[0]


async def sign_in_with_code(
    tab: Any, http: httpx.AsyncClient, operator: Headers, phone: str, *, tenant: str = "demo"
) -> None:
    """A shopper opens the member centre, asks for a code, types it and agrees to marketing."""
    await tab.goto(f"/m?tenant={tenant}")
    await tab.wait_for_selector("html[data-centre=signed-out]")
    await tab.fill("#phone", phone)
    await tab.click("#send-code")
    await tab.wait_for_selector("#code-form:not([hidden])")
    await tab.fill("#code", await kept_code(http, operator, phone))
    await tab.check("#consent-marketing")
    await tab.click("#sign-in-button")
    await tab.wait_for_selector('#view[data-view="card"]')


async def open_with_handoff(
    tab: Any, http: httpx.AsyncClient, backend: Headers, member_id: str
) -> str:
    """The app's backend asks for a hand-off code and opens the member centre with it."""
    issued = await http.post(f"/v1/members/{member_id}/session-handoffs", headers=backend)
    assert issued.status_code == 201, issued.text
    await tab.goto(issued.json()["url"])
    await tab.wait_for_selector('#view[data-view="card"]')
    return str(issued.json()["code"])


async def open_view(tab: Any, view: str) -> None:
    """Tap a tab of the member centre and wait until its view is drawn afresh."""
    await tab.click(f"#tab-{view}")
    await tab.wait_for_selector(f'#view[data-view="{view}"]')


async def as_member(tab: Any, path: str) -> dict[str, Any]:
    """What the API answers the page's own cookie session for `path` (status and body)."""
    answer: dict[str, Any] = await tab.evaluate(
        """async (path) => {
            const r = await fetch(path, { headers: { "X-Session-Cookie": "member" } });
            return { status: r.status, body: await r.json().catch(() => null) };
        }""",
        path,
    )
    return answer
