from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from gateway.tests.integration.support import (
    Gateway,
    SettingsFactory,
    new_phone,
    new_tenant,
    running_gateway,
)
from libs.ids import new_id

PASSWORD = "a long enough password"


async def operator(
    gateway: Gateway, tenant: str, role: str, stores: Sequence[str] = ()
) -> dict[str, str]:
    """A new operator's sign-in body."""
    email = f"{role}.{new_id()}@brand.example"
    await gateway.container.operators.create(tenant, email, role, PASSWORD, stores=stores)
    return {"tenant_id": tenant, "email": email, "password": PASSWORD}


async def signed_in(gateway: Gateway, login: dict[str, str]) -> dict[str, str]:
    response = await gateway.client.post("/v1/auth/sessions", json=login)
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def enrolment() -> dict[str, Any]:
    return {"identities": [{"type": "phone", "value": new_phone()}]}


async def test_a_signed_in_operator_uses_the_token_like_an_operator_key(
    gateway: Gateway,
) -> None:
    tenant = new_tenant()
    login = await operator(gateway, tenant, "support")

    response = await gateway.client.post("/v1/auth/sessions", json=login)
    me = await gateway.client.get(
        "/v1/admin/whoami", headers={"Authorization": f"Bearer {response.json()['token']}"}
    )

    session = response.json()
    assert session["token"].startswith("lo_")
    assert session["token_type"] == "Bearer"
    assert response.headers["cache-control"] == "no-store"
    assert session["operator"]["role"] == "support"
    expires = datetime.fromisoformat(session["expires_at"]) - datetime.now(UTC)
    assert timedelta(minutes=59) < expires <= timedelta(minutes=60)
    assert me.status_code == 200
    assert (me.json()["tenant_id"], me.json()["key_id"]) == (
        tenant,
        session["operator"]["operator_id"],
    )


@pytest.mark.parametrize("wrong", ["password", "email", "tenant_id"])
async def test_a_wrong_password_e_mail_or_tenant_is_the_same_401(
    gateway: Gateway, wrong: str
) -> None:
    login = await operator(gateway, new_tenant(), "analyst")
    login[wrong] = {"password": "not the password", "email": "x@y.example"}.get(wrong, "t_x")

    response = await gateway.client.post("/v1/auth/sessions", json=login)

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


async def test_a_marketer_may_not_enrol_members_but_support_may(gateway: Gateway) -> None:
    tenant = new_tenant()
    marketer = await signed_in(gateway, await operator(gateway, tenant, "marketer"))
    support = await signed_in(gateway, await operator(gateway, tenant, "support"))

    refused = await gateway.client.post("/v1/members", json=enrolment(), headers=marketer)
    enrolled = await gateway.client.post("/v1/members", json=enrolment(), headers=support)

    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert enrolled.status_code == 201


async def test_a_store_manager_acts_only_for_their_store(gateway: Gateway) -> None:
    tenant = new_tenant()
    manager = await signed_in(gateway, await operator(gateway, tenant, "store_manager", ["S001"]))

    other_store = await gateway.client.post(
        "/v1/orders", json={"store_id": "S002"}, headers=manager
    )
    keys = await gateway.client.get("/v1/admin/keys", headers=manager)

    assert other_store.status_code == 403
    assert keys.status_code == 403


async def test_signing_out_ends_the_session_at_once(gateway: Gateway) -> None:
    headers = await signed_in(gateway, await operator(gateway, new_tenant(), "auditor"))

    out = await gateway.client.delete("/v1/auth/sessions/current", headers=headers)
    after = await gateway.client.get("/v1/admin/whoami", headers=headers)

    assert out.status_code == 204
    assert after.status_code == 401


async def test_an_operator_key_is_not_a_session_to_sign_out(gateway: Gateway) -> None:
    key = await gateway.key(new_tenant(), "operator")

    response = await gateway.client.delete("/v1/auth/sessions/current", headers=key)

    assert response.status_code == 404
    assert (await gateway.client.get("/v1/admin/whoami", headers=key)).status_code == 200


async def test_an_expired_session_no_longer_authenticates(gateway: Gateway) -> None:
    headers = await signed_in(gateway, await operator(gateway, new_tenant(), "admin"))
    past = datetime.now(UTC) - timedelta(seconds=1)
    await gateway.container.db["operator_sessions"].update_many({}, {"$set": {"expires_at": past}})

    response = await gateway.client.get("/v1/admin/whoami", headers=headers)

    assert response.status_code == 401


async def test_passwords_and_tokens_are_stored_only_as_hashes(gateway: Gateway) -> None:
    login = await operator(gateway, new_tenant(), "admin")
    headers = await signed_in(gateway, login)
    token = headers["Authorization"].removeprefix("Bearer ")

    account = await gateway.container.db["operators"].find_one({"email": login["email"]})
    session = await gateway.container.db["operator_sessions"].find_one({})

    assert account is not None
    assert session is not None
    assert account["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in str(account)
    assert token not in str(session)


@pytest.fixture
async def limited(make_settings: SettingsFactory, redis_url: str) -> AsyncIterator[Gateway]:
    async with running_gateway(make_settings(redis_url=redis_url)) as running:
        yield running


async def test_repeated_failed_sign_ins_are_slowed_down(limited: Gateway) -> None:
    login = await operator(limited, new_tenant(), "admin")
    wrong = {**login, "password": "not the password"}

    statuses = [
        (await limited.client.post("/v1/auth/sessions", json=wrong)).status_code for _ in range(6)
    ]
    blocked = await limited.client.post("/v1/auth/sessions", json=login)

    assert statuses == [401] * 5 + [429]
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) >= 1
