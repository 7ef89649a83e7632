"""The member centre's way in, against the gateway with fake services: a hand-off code the
app's backend asks for opens one cookie session for its member, once and only for a short
while; the member cookie is HttpOnly, Strict and Secure, changes only from the gateway's
own origin, sits beside an operator's cookie, and signing out ends it. The real services:
tests/e2e/test_member_centre_in_browser.py."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.tenancy.member_cookies import MEMBER_COOKIE
from gateway.tenancy.tenants import Tenant
from gateway.tests.integration.support import (
    Gateway,
    SettingsFactory,
    new_phone,
    new_tenant,
    running_gateway,
)
from gateway.tests.integration.test_console_sessions import attributes, cookie_sign_in

pytestmark = pytest.mark.integration

ORIGIN = "https://m.brand.example"
SAME_ORIGIN = {"Origin": ORIGIN}
AS_MEMBER = {"X-Session-Cookie": "member"}


@pytest.fixture
async def centre(make_settings: SettingsFactory, redis_url: str) -> AsyncIterator[Gateway]:
    settings = make_settings(redis_url=redis_url, member_code_sender="development")
    async with running_gateway(settings) as running:
        yield running


def browser(gateway: Gateway) -> httpx.AsyncClient:
    """A phone's browser of its own (its own cookie jar) on the member centre's origin."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway.app), base_url=ORIGIN)


async def enrol(gateway: Gateway, headers: dict[str, str]) -> str:
    body = {"identities": [{"type": "phone", "value": new_phone()}]}
    response = await gateway.client.post("/v1/members", json=body, headers=headers)
    assert response.status_code == 201, response.text
    member_id: str = response.json()["member_id"]
    return member_id


async def handoff_code(gateway: Gateway, app: dict[str, str], member_id: str) -> str:
    issued = await gateway.client.post(f"/v1/members/{member_id}/session-handoffs", headers=app)
    assert issued.status_code == 201, issued.text
    code: str = issued.json()["code"]
    return code


async def test_a_hand_off_code_opens_one_cookie_session_for_its_member_only(
    centre: Gateway,
) -> None:
    tenant = new_tenant()
    app = await centre.key(tenant, "app")
    mine, theirs = await enrol(centre, app), await enrol(centre, app)
    issued = await centre.client.post(f"/v1/members/{mine}/session-handoffs", headers=app)
    code = issued.json()["code"]

    async with browser(centre) as phone:
        taken = await phone.post(
            "/v1/member-sessions/handoff", json={"code": code}, headers=SAME_ORIGIN
        )
        current = await phone.get("/v1/member-sessions/current", headers=AS_MEMBER)
        own = await phone.get(f"/v1/members/{mine}", headers=AS_MEMBER)
        other = await phone.get(f"/v1/members/{theirs}", headers=AS_MEMBER)
        operator_route = await phone.get("/v1/admin/tier-program", headers=AS_MEMBER)
    async with browser(centre) as another_phone:
        again = await another_phone.post(
            "/v1/member-sessions/handoff", json={"code": code}, headers=SAME_ORIGIN
        )

    assert issued.json()["url"] == f"/m?handoff={code}"
    assert issued.headers["cache-control"] == "no-store"
    assert taken.status_code == 201, taken.text
    assert taken.json()["token"] is None
    cookie = attributes(taken.headers["set-cookie"])
    assert cookie[MEMBER_COOKIE].startswith("lm_")
    assert cookie["samesite"] == "Strict"
    assert {"httponly", "secure"} <= cookie.keys()
    assert current.json() == {
        "member_id": mine,
        "tenant_id": tenant,
        "channel": "app",
        "expires_at": current.json()["expires_at"],
    }
    assert own.status_code == 200
    assert (other.status_code, other.json()["code"]) == (404, "member_not_found")
    assert operator_route.status_code == 403
    assert (again.status_code, again.json()["code"]) == (401, "invalid_handoff")


async def test_a_hand_off_code_is_kept_hashed_and_expires(centre: Gateway) -> None:
    tenant = new_tenant()
    await centre.container.policies.configure(tenant, member_sessions={"handoff_seconds": 1})
    app = await centre.key(tenant, "miniprogram")
    member_id = await enrol(centre, app)
    code = await handoff_code(centre, app, member_id)
    kept = [
        (key, await centre.container.redis.get(key))
        async for key in centre.container.redis.scan_iter("member-handoff:*")
    ]

    await asyncio.sleep(1.5)
    async with browser(centre) as phone:
        late = await phone.post(
            "/v1/member-sessions/handoff", json={"code": code}, headers=SAME_ORIGIN
        )

    assert kept
    assert code not in repr(kept)
    assert (late.status_code, late.json()["code"]) == (401, "invalid_handoff")
    assert MEMBER_COOKIE not in late.headers.get("set-cookie", "")


@pytest.mark.parametrize("channel", ["pos", "operator"])
async def test_only_the_brand_s_app_web_shop_and_mini_program_backends_ask_for_hand_offs(
    centre: Gateway, channel: str
) -> None:
    tenant = new_tenant()
    member_id = await enrol(centre, await centre.key(tenant, "app"))

    refused = await centre.client.post(
        f"/v1/members/{member_id}/session-handoffs",
        headers=await centre.key(tenant, channel),  # type: ignore[arg-type]
    )

    assert refused.status_code == 403


async def test_the_member_cookie_is_taken_and_changes_things_only_from_the_gateway_s_origin(
    centre: Gateway,
) -> None:
    tenant = new_tenant()
    app = await centre.key(tenant, "app")
    member_id = await enrol(centre, app)
    consents = {"consents": {"marketing": True}, "source": "member_centre"}

    async with browser(centre) as phone:
        elsewhere = await phone.post(
            "/v1/member-sessions/handoff",
            json={"code": await handoff_code(centre, app, member_id)},
            headers={"Origin": "https://evil.example"},
        )
        await phone.post(
            "/v1/member-sessions/handoff",
            json={"code": await handoff_code(centre, app, member_id)},
            headers=SAME_ORIGIN,
        )
        cross_site = await phone.put(
            f"/v1/members/{member_id}/consents",
            json=consents,
            headers={**AS_MEMBER, "Origin": "https://evil.example"},
        )
        own_page = await phone.put(
            f"/v1/members/{member_id}/consents", json=consents, headers={**AS_MEMBER, **SAME_ORIGIN}
        )

    assert (elsewhere.status_code, elsewhere.json()["code"]) == (403, "forbidden")
    assert cross_site.status_code == 403
    assert own_page.status_code == 200, own_page.text


async def test_signing_out_of_the_member_centre_ends_the_session_and_clears_its_cookie(
    centre: Gateway,
) -> None:
    tenant = new_tenant()
    app = await centre.key(tenant, "app")
    member_id = await enrol(centre, app)

    async with browser(centre) as phone:
        await phone.post(
            "/v1/member-sessions/handoff",
            json={"code": await handoff_code(centre, app, member_id)},
            headers=SAME_ORIGIN,
        )
        token = phone.cookies[MEMBER_COOKIE]
        ended = await phone.delete(
            "/v1/member-sessions/current", headers={**AS_MEMBER, **SAME_ORIGIN}
        )
        after = await phone.get(f"/v1/members/{member_id}", headers=AS_MEMBER)
    replayed = await centre.client.get(
        f"/v1/members/{member_id}", headers={"Authorization": f"Bearer {token}"}
    )

    assert ended.status_code == 204
    assert attributes(ended.headers["set-cookie"])["max-age"] == "0"
    assert after.status_code == 401
    assert replayed.status_code == 401


async def test_a_browser_signed_in_to_the_console_and_the_member_centre_keeps_both_apart(
    centre: Gateway,
) -> None:
    tenant = new_tenant()
    async with browser(centre) as phone:
        signed_in = await cookie_sign_in(centre, phone)
        app = await centre.key(signed_in.json()["operator"]["tenant_id"], "app")
        member_id = await enrol(centre, app)
        await phone.post(
            "/v1/member-sessions/handoff",
            json={"code": await handoff_code(centre, app, member_id)},
            headers=SAME_ORIGIN,
        )
        as_operator = await phone.get("/v1/admin/whoami")
        as_member = await phone.get("/v1/member-sessions/current", headers=AS_MEMBER)

    assert tenant != signed_in.json()["operator"]["tenant_id"]
    assert as_operator.status_code == 200
    assert as_member.json()["member_id"] == member_id


async def test_a_shopper_signs_in_with_a_code_into_the_member_cookie(centre: Gateway) -> None:
    tenant, phone_number = new_tenant(), new_phone()
    await centre.container.tenants.upsert(Tenant(tenant, "T", ("S001",), "CN", "UTC", "CNY"))
    support = await centre.key(tenant, "operator")
    identity = {"type": "phone", "value": phone_number}
    await centre.client.post(
        "/v1/member-sessions/otp", json={"tenant_id": tenant, "identity": identity}
    )
    kept = await centre.client.get("/v1/admin/member-code-messages", headers=support)
    code = kept.json()["messages"][0]["text"][:6]
    body = {"tenant_id": tenant, "identity": identity, "code": code, "cookie": True}

    async with browser(centre) as phone:
        elsewhere = await phone.post("/v1/member-sessions", json=body)
        signed_in = await phone.post("/v1/member-sessions", json=body, headers=SAME_ORIGIN)
        current = await phone.get("/v1/member-sessions/current", headers=AS_MEMBER)

    assert elsewhere.status_code == 403
    assert signed_in.status_code == 201, signed_in.text
    assert signed_in.json()["token"] is None
    assert signed_in.json()["created"] is True
    assert current.json()["member_id"] == signed_in.json()["member_id"]
