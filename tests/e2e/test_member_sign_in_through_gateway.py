"""A shopper signs in with a one-time code, through the gateway and the real services; the
development sender (`make run`, the launcher) keeps the message, and an operator of the
tenant reads the code back in the console's way (`GET /v1/admin/member-code-messages`)."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import uuid4

import httpx
import pytest

from libs.stack.platform import Stack
from tests.e2e.gateway_support import Headers, admin_cli, http, new_key, new_phone

pytestmark = pytest.mark.e2e
__all__ = ["http"]


def new_tenant(stack: Stack, *settings: str) -> str:
    """A tenant of its own (so the limits of one test touch no other): codes are sent only
    for a tenant the gateway knows, and configuring it makes its document."""
    tenant = f"si{uuid4().hex[:10]}"
    given = settings or ("--member-code-seconds", "300")
    admin_cli(stack, "tenants", "configure", "--tenant", tenant, *given)
    return tenant


async def ask_code(http: httpx.AsyncClient, tenant: str, phone: str) -> httpx.Response:
    identity = {"type": "phone", "value": phone}
    return await http.post(
        "/v1/member-sessions/otp", json={"tenant_id": tenant, "identity": identity}
    )


async def sign_in(
    http: httpx.AsyncClient, tenant: str, phone: str, code: str, **extra: Any
) -> httpx.Response:
    body = {"tenant_id": tenant, "identity": {"type": "phone", "value": phone}, "code": code}
    return await http.post("/v1/member-sessions", json={**body, **extra})


async def code_sent_to(http: httpx.AsyncClient, operator: Headers, phone: str) -> str:
    kept = await http.get("/v1/admin/member-code-messages", headers=operator)
    assert kept.status_code == 200, kept.text
    text: str = next(m["text"] for m in kept.json()["messages"] if m["to"] == phone)
    return text.split(maxsplit=1)[0]


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


async def test_a_shopper_signs_in_with_the_code_once_and_is_enrolled_with_their_consents(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    tenant, phone = new_tenant(platform_stack), new_phone()
    support = new_key(platform_stack, tenant, "operator", "--role", "support")

    asked = await ask_code(http, tenant, phone)
    code = await code_sent_to(http, support, phone)
    mistyped = await sign_in(http, tenant, phone, wrong(code))
    signed_in = await sign_in(http, tenant, phone, code, consents={"marketing": True})
    reused = await sign_in(http, tenant, phone, code)
    member_id = signed_in.json()["member_id"]
    member = {"Authorization": f"Bearer {signed_in.json()['token']}"}
    me = await http.get(f"/v1/members/{member_id}", headers=member)
    await ask_code(http, tenant, phone)
    again = await sign_in(http, tenant, phone, await code_sent_to(http, support, phone))

    assert asked.status_code == 202
    assert (mistyped.status_code, mistyped.json()["code"]) == (401, "invalid_code")
    assert signed_in.status_code == 201, signed_in.text
    assert signed_in.json()["created"] is True
    assert (reused.status_code, reused.json()["code"]) == (401, "invalid_code")
    assert me.status_code == 200
    assert me.json()["consents"]["marketing"] is True
    assert me.json()["enrolled_channel"] == "ecommerce"
    assert (again.json()["created"], again.json()["member_id"]) == (False, member_id)


async def test_only_admins_and_support_read_the_development_sender_s_messages(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    tenant, phone = new_tenant(platform_stack), new_phone()
    await ask_code(http, tenant, phone)
    other = new_tenant(platform_stack)

    by_role = {
        role: await http.get(
            "/v1/admin/member-code-messages",
            headers=new_key(platform_stack, tenant, "operator", "--role", role),
        )
        for role in ("admin", "support", "marketer", "store_manager")
    }
    by_app = await http.get(
        "/v1/admin/member-code-messages", headers=new_key(platform_stack, tenant, "app")
    )
    other_tenant = await http.get(
        "/v1/admin/member-code-messages", headers=new_key(platform_stack, other, "operator")
    )

    assert {role: r.status_code for role, r in by_role.items()} == {
        "admin": 200,
        "support": 200,
        "marketer": 403,
        "store_manager": 403,
    }
    assert [m["to"] for m in by_role["admin"].json()["messages"]] == [phone]
    assert by_app.status_code == 403
    assert other_tenant.json()["messages"] == []


async def test_an_expired_code_does_not_sign_in(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    tenant, phone = new_tenant(platform_stack, "--member-code-seconds", "1"), new_phone()
    admin = new_key(platform_stack, tenant, "operator")

    await ask_code(http, tenant, phone)
    code = await code_sent_to(http, admin, phone)
    await asyncio.sleep(1.5)
    late = await sign_in(http, tenant, phone, code)

    assert (late.status_code, late.json()["code"]) == (401, "invalid_code")


async def test_codes_and_tries_are_limited_per_phone(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    tenant, phone, other_phone = new_tenant(platform_stack), new_phone(), new_phone()

    asks = [(await ask_code(http, tenant, phone)).status_code for _ in range(4)]
    tries = [(await sign_in(http, tenant, phone, "000000")).status_code for _ in range(6)]
    other = await ask_code(http, tenant, other_phone)
    limited = await sign_in(http, tenant, phone, "000000")

    assert asks == [202, 202, 202, 429]
    assert tries == [401, 401, 401, 401, 401, 429]
    assert other.status_code == 202
    assert int(limited.headers["Retry-After"]) >= 1


async def test_requests_are_limited_per_client_address(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    tenant = new_tenant(platform_stack)

    answers = [(await ask_code(http, tenant, new_phone())).status_code for _ in range(21)]

    assert answers == [202] * 20 + [429]
