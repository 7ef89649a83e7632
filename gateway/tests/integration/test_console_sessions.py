"""The console's session cookie: signed in with e-mail and password, HttpOnly, SameSite,
Secure as configured, accepted only from the console's own origin for changes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.tenancy.operators.cookies import COOKIE_NAME
from gateway.tests.integration.support import Gateway, SettingsFactory, new_tenant, running_gateway
from gateway.tests.integration.test_operator_sessions import enrolment, operator

pytestmark = pytest.mark.integration

PUBLIC = "https://console.brand.example"
LOCAL = "http://127.0.0.1:8000"


def browser(gateway: Gateway, origin: str) -> httpx.AsyncClient:
    """A client of its own, so its cookie jar is this test's only."""
    transport = httpx.ASGITransport(app=gateway.app)
    return httpx.AsyncClient(transport=transport, base_url=origin)


@pytest.fixture
async def console(gateway: Gateway) -> AsyncIterator[httpx.AsyncClient]:
    async with browser(gateway, PUBLIC) as client:
        yield client


async def cookie_sign_in(
    gateway: Gateway,
    client: httpx.AsyncClient,
    role: str = "support",
    stores: list[str] | None = None,
) -> httpx.Response:
    login = await operator(gateway, new_tenant(), role, stores or [])
    return await client.post("/v1/auth/sessions", json={**login, "cookie": True})


def attributes(set_cookie: str) -> dict[str, str]:
    found = {}
    for part in set_cookie.split(";"):
        name, _, value = part.strip().partition("=")
        found[name.lower()] = value
    return found


async def test_signing_in_for_the_console_sets_a_strict_http_only_cookie_and_answers_no_token(
    gateway: Gateway, console: httpx.AsyncClient
) -> None:
    response = await cookie_sign_in(gateway, console)

    assert response.status_code == 201, response.text
    assert response.json()["token"] is None
    cookie = attributes(response.headers["set-cookie"])
    assert cookie[COOKIE_NAME.lower()].startswith("lo_")
    assert {"httponly", "secure"} <= cookie.keys()
    assert (cookie["samesite"], cookie["path"], cookie["max-age"]) == ("Strict", "/", "3600")


async def test_the_cookie_authenticates_reads_and_whoami_names_the_role_stores_and_routes(
    gateway: Gateway, console: httpx.AsyncClient
) -> None:
    await cookie_sign_in(gateway, console, "store_manager", ["S001", "S002"])

    me = await console.get("/v1/admin/whoami")

    assert me.status_code == 200, me.text
    assert (me.json()["role"], me.json()["stores"]) == ("store_manager", ["S001", "S002"])
    may = {(route["method"], route["path"]) for route in me.json()["may"]}
    assert ("POST", "/v1/orders") in may
    assert ("GET", "/v1/admin/keys") not in may


async def test_a_change_by_cookie_must_come_from_the_consoles_own_origin(
    gateway: Gateway, console: httpx.AsyncClient
) -> None:
    await cookie_sign_in(gateway, console)

    without = await console.post("/v1/members", json=enrolment())
    foreign = await console.post(
        "/v1/members", json=enrolment(), headers={"Origin": "https://evil.example"}
    )
    own = await console.post("/v1/members", json=enrolment(), headers={"Origin": PUBLIC})

    assert (without.status_code, foreign.status_code) == (403, 403)
    assert foreign.json()["code"] == "forbidden"
    assert own.status_code == 201, own.text


async def test_signing_out_by_cookie_ends_the_session_and_clears_the_cookie(
    gateway: Gateway, console: httpx.AsyncClient
) -> None:
    await cookie_sign_in(gateway, console)
    token = console.cookies[COOKIE_NAME]

    out = await console.delete("/v1/auth/sessions/current", headers={"Origin": PUBLIC})
    reused = await gateway.client.get(
        "/v1/admin/whoami", headers={"Authorization": f"Bearer {token}"}
    )

    assert out.status_code == 204, out.text
    assert attributes(out.headers["set-cookie"])["max-age"] == "0"
    assert COOKIE_NAME not in console.cookies
    assert reused.status_code == 401


async def test_a_cookie_carrying_an_api_key_authenticates_nothing(gateway: Gateway) -> None:
    key = (await gateway.key(new_tenant(), "operator"))["Authorization"].removeprefix("Bearer ")
    async with browser(gateway, PUBLIC) as client:
        client.cookies.set(COOKIE_NAME, key)
        response = await client.get("/v1/admin/whoami")

    assert response.status_code == 401


async def test_over_plain_http_to_a_loopback_address_the_cookie_is_not_secure_by_default(
    gateway: Gateway,
) -> None:
    async with browser(gateway, LOCAL) as local:
        response = await cookie_sign_in(gateway, local)

    assert "secure" not in attributes(response.headers["set-cookie"])


async def test_secure_always_marks_even_a_local_cookie_secure(
    make_settings: SettingsFactory,
) -> None:
    async with (
        running_gateway(make_settings(session_cookie_secure="always")) as gateway,
        browser(gateway, LOCAL) as local,
    ):
        login = await operator(gateway, new_tenant(), "auditor")
        response = await local.post("/v1/auth/sessions", json={**login, "cookie": True})

    assert "secure" in attributes(response.headers["set-cookie"])
