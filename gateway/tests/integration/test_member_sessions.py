"""Member tokens against the gateway with fake services (the whole walk through the real
services is tests/e2e/test_member_sessions_through_gateway.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from gateway.tenancy.tenants import Tenant
from gateway.tests.integration.support import (
    Gateway,
    SettingsFactory,
    new_phone,
    new_tenant,
    running_gateway,
)


async def enrol(gateway: Gateway, headers: dict[str, str]) -> str:
    body = {"identities": [{"type": "phone", "value": new_phone()}]}
    response = await gateway.client.post("/v1/members", json=body, headers=headers)
    assert response.status_code == 201, response.text
    member_id: str = response.json()["member_id"]
    return member_id


async def minted(gateway: Gateway, key: dict[str, str], member_id: str) -> dict[str, str]:
    opened = await gateway.client.post(f"/v1/members/{member_id}/sessions", headers=key)
    assert opened.status_code == 201, opened.text
    return {"Authorization": f"Bearer {opened.json()['token']}"}


async def test_an_app_backend_mints_a_token_that_acts_for_its_member_only(
    gateway: Gateway,
) -> None:
    tenant = new_tenant()
    app = await gateway.key(tenant, "app")
    mine, theirs = await enrol(gateway, app), await enrol(gateway, app)

    opened = await gateway.client.post(f"/v1/members/{mine}/sessions", headers=app)
    token = {"Authorization": f"Bearer {opened.json()['token']}"}
    own = await gateway.client.get(f"/v1/members/{mine}", headers=token)
    other = await gateway.client.get(f"/v1/members/{theirs}", headers=token)
    operator_route = await gateway.client.get("/v1/admin/tier-program", headers=token)
    till = await gateway.client.post("/v1/orders", json={}, headers=token)

    assert opened.status_code == 201
    assert opened.json()["member_id"] == mine
    assert opened.json()["token"].startswith("lm_")
    assert opened.headers["cache-control"] == "no-store"
    assert own.status_code == 200
    assert (other.status_code, other.json()["code"]) == (404, "member_not_found")
    assert operator_route.status_code == 403
    assert till.status_code == 403


async def test_an_ended_member_session_answers_401(gateway: Gateway) -> None:
    tenant = new_tenant()
    app = await gateway.key(tenant, "app")
    member_id = await enrol(gateway, app)
    token = await minted(gateway, app, member_id)

    ended = await gateway.client.delete("/v1/member-sessions/current", headers=token)
    after = await gateway.client.get(f"/v1/members/{member_id}", headers=token)

    assert ended.status_code == 204
    assert after.status_code == 401


async def test_an_app_key_alone_needs_a_member_token_unless_the_tenant_keeps_the_legacy(
    gateway: Gateway,
) -> None:
    new, legacy = new_tenant(), new_tenant()
    await gateway.keep_legacy_key_access(legacy)
    new_app, legacy_app = await gateway.key(new, "miniprogram"), await gateway.key(legacy, "app")
    new_member, legacy_member = await enrol(gateway, new_app), await enrol(gateway, legacy_app)

    refused = await gateway.client.get(f"/v1/members/{new_member}", headers=new_app)
    kept = await gateway.client.get(f"/v1/members/{legacy_member}", headers=legacy_app)
    pos = await gateway.client.get(
        f"/v1/members/{new_member}", headers=await gateway.key(new, "pos")
    )

    assert (refused.status_code, refused.json()["code"]) == (403, "member_token_required")
    assert kept.status_code == 200
    assert pos.status_code == 200


@pytest.mark.parametrize("channel", ["pos", "operator"])
async def test_only_the_brand_s_app_web_shop_and_mini_program_backends_mint_tokens(
    gateway: Gateway, channel: str
) -> None:
    tenant = new_tenant()
    member_id = await enrol(gateway, await gateway.key(tenant, "app"))

    opened = await gateway.client.post(
        f"/v1/members/{member_id}/sessions",
        headers=await gateway.key(tenant, channel),  # type: ignore[arg-type]
    )

    assert opened.status_code == 403


async def test_a_member_session_for_a_member_of_another_tenant_is_404(gateway: Gateway) -> None:
    theirs = await enrol(gateway, await gateway.key(new_tenant(), "app"))

    opened = await gateway.client.post(
        f"/v1/members/{theirs}/sessions", headers=await gateway.key(new_tenant(), "app")
    )

    assert (opened.status_code, opened.json()["code"]) == (404, "member_not_found")


async def test_a_minted_token_is_never_kept_for_an_idempotent_replay(gateway: Gateway) -> None:
    tenant = new_tenant()
    app = await gateway.key(tenant, "app")
    member_id = await enrol(gateway, app)
    headers = {**app, "Idempotency-Key": "mint-once"}

    first = await gateway.client.post(f"/v1/members/{member_id}/sessions", headers=headers)
    second = await gateway.client.post(f"/v1/members/{member_id}/sessions", headers=headers)

    assert first.status_code == second.status_code == 201
    assert first.json()["token"] != second.json()["token"]


async def test_a_member_token_is_kept_hashed_and_unknown_after_its_lifetime(
    gateway: Gateway,
) -> None:
    tenant = new_tenant()
    app = await gateway.key(tenant, "app")
    member_id = await enrol(gateway, app)
    token = await minted(gateway, app, member_id)
    collection = gateway.container.db["member_sessions"]
    stored = await collection.find_one({"member_id": member_id})
    assert stored is not None
    assert token["Authorization"].removeprefix("Bearer ") not in str(stored)
    await collection.update_one(
        {"_id": stored["_id"]}, {"$set": {"expires_at": stored["created_at"]}}
    )
    after = await gateway.client.get(f"/v1/members/{member_id}", headers=token)

    assert after.status_code == 401


@pytest.fixture
async def with_codes(make_settings: SettingsFactory, redis_url: str) -> AsyncIterator[Gateway]:
    settings = make_settings(redis_url=redis_url, member_code_sender="development")
    async with running_gateway(settings) as running:
        yield running


async def test_a_shopper_signs_in_with_the_code_the_development_sender_kept(
    with_codes: Gateway,
) -> None:
    gateway, tenant, phone = with_codes, new_tenant(), new_phone()
    await gateway.container.tenants.upsert(Tenant(tenant, "T", ("S001",), "CN", "UTC", "CNY"))
    support = await gateway.container.keys.create_key(tenant, "operator", role="support")
    identity = {"type": "phone", "value": phone}

    asked = await gateway.client.post(
        "/v1/member-sessions/otp", json={"tenant_id": tenant, "identity": identity}
    )
    kept = await gateway.client.get(
        "/v1/admin/member-code-messages",
        headers={"Authorization": f"Bearer {support.secret}"},
    )
    code = kept.json()["messages"][0]["text"][:6]
    signed_in = await gateway.client.post(
        "/v1/member-sessions", json={"tenant_id": tenant, "identity": identity, "code": code}
    )
    again = await gateway.client.post(
        "/v1/member-sessions", json={"tenant_id": tenant, "identity": identity, "code": code}
    )

    assert asked.status_code == 202
    assert kept.json()["messages"][0]["to"] == phone
    assert signed_in.status_code == 201, signed_in.text
    assert signed_in.json()["created"] is True
    assert (again.status_code, again.json()["code"]) == (401, "invalid_code")


async def test_without_a_sender_no_code_is_sent_and_no_messages_are_shown(
    gateway: Gateway,
) -> None:
    tenant = new_tenant()
    admin = await gateway.key(tenant, "operator")

    messages = await gateway.client.get("/v1/admin/member-code-messages", headers=admin)

    assert messages.status_code == 404
