"""The console's sign-in through the whole platform, as its page does it: e-mail and
password for a session cookie, the cookie for every call, sign-out ending it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from libs.stack.platform import Stack
from tests.e2e.gateway_support import enrol, key, new_operator

COOKIE = "loyalty_session"


@pytest.fixture
async def page(platform_stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    """The console's page in a browser: same origin as the gateway, its own cookie jar."""
    origin = platform_stack.gateway_url
    async with httpx.AsyncClient(base_url=origin, headers={"Origin": origin}, timeout=30) as b:
        yield b


async def test_the_seeded_admin_signs_in_to_the_console_finds_a_member_and_signs_out(
    platform_stack: Stack, page: httpx.AsyncClient
) -> None:
    login = platform_stack.credentials["operators"][0]
    member_id = await enrol(page, key(platform_stack, "demo", "pos"))

    console = await page.get("/console")
    signed_in = await page.post(
        "/v1/auth/sessions",
        json={**{k: login[k] for k in ("tenant_id", "email", "password")}, "cookie": True},
    )
    me = await page.get("/v1/admin/whoami")
    found = await page.get(f"/v1/members/{member_id}")
    out = await page.delete("/v1/auth/sessions/current")
    after = await page.get("/v1/admin/whoami")

    assert console.status_code == 200
    assert signed_in.status_code == 201, signed_in.text
    assert signed_in.json()["token"] is None
    set_cookie = signed_in.headers["set-cookie"]
    assert "HttpOnly" in set_cookie
    assert "SameSite=Strict" in set_cookie
    assert "Secure" not in set_cookie  # plain http to 127.0.0.1: a developer's machine
    assert (me.json()["role"], me.json()["tenant_id"]) == ("admin", "demo")
    assert found.status_code == 200
    assert found.json()["member_id"] == member_id
    assert out.status_code == 204
    assert after.status_code == 401
    assert COOKIE not in page.cookies


async def test_a_store_manager_sees_their_stores_and_what_their_role_may_do(
    platform_stack: Stack, page: httpx.AsyncClient
) -> None:
    login = new_operator(platform_stack, "store_manager", ["S001", "S003"])

    await page.post("/v1/auth/sessions", json={**login, "cookie": True})
    me = await page.get("/v1/admin/whoami")
    keys = await page.get("/v1/admin/keys")

    assert me.status_code == 200, me.text
    assert me.json()["stores"] == ["S001", "S003"]
    may = {(route["method"], route["path"]) for route in me.json()["may"]}
    assert ("POST", "/v1/redemptions/{redemption_id}/capture") in may
    assert ("GET", "/v1/admin/keys") not in may
    assert keys.status_code == 403
