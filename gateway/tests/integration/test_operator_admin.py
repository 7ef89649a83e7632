from __future__ import annotations

import pytest

from gateway.tenancy.tenants import Tenant
from gateway.tests.integration.support import Gateway, new_tenant

pytestmark = pytest.mark.integration

PASSWORD = "a long enough first password"


async def admin_of(gateway: Gateway) -> tuple[str, dict[str, str]]:
    tenant_id = new_tenant()
    tenant = Tenant(tenant_id, "Acme", ("S001", "S002"), "CN", "Asia/Shanghai", "CNY")
    await gateway.container.tenants.upsert(tenant)
    return tenant_id, await gateway.key(tenant_id, "operator")


async def test_an_admin_creates_lists_and_changes_the_role_of_an_operator(
    gateway: Gateway,
) -> None:
    tenant_id, admin = await admin_of(gateway)
    body = {"email": "Wang@Acme.example", "role": "support", "password": PASSWORD}

    created = await gateway.client.post("/v1/admin/operators", json=body, headers=admin)
    login = {"tenant_id": tenant_id, "email": "wang@acme.example", "password": PASSWORD}
    session = await gateway.client.post("/v1/auth/sessions", json=login)
    token = {"Authorization": f"Bearer {session.json()['token']}"}
    operator_id = created.json()["operator_id"]
    changed = await gateway.client.put(
        f"/v1/admin/operators/{operator_id}",
        json={"role": "store_manager", "stores": ["S002"]},
        headers=admin,
    )
    listed = await gateway.client.get("/v1/admin/operators", headers=admin)
    old_session = await gateway.client.get("/v1/admin/whoami", headers=token)

    assert created.status_code == 201, created.text
    assert (created.json()["email"], created.json()["role"]) == ("wang@acme.example", "support")
    assert "password" not in created.text
    assert session.status_code == 201
    assert changed.status_code == 200, changed.text
    assert (changed.json()["role"], changed.json()["stores"]) == ("store_manager", ["S002"])
    assert [(o["email"], o["role"]) for o in listed.json()["operators"]] == [
        ("wang@acme.example", "store_manager")
    ]
    assert old_session.status_code == 401  # the new role holds from the next sign-in


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"email": "a@acme.example", "role": "support", "password": "short"}, 422, None),
        ({"email": "a@acme.example", "role": "wizard", "password": PASSWORD}, 422, None),
        ({"email": "a@acme.example", "role": "store_manager", "password": PASSWORD}, 422, None),
        (
            {"email": "a@acme.example", "role": "store_manager", "stores": ["S999"]}
            | {"password": PASSWORD},
            422,
            None,
        ),
        ({"email": "not an address", "role": "support", "password": PASSWORD}, 422, None),
        ({"email": "a@acme.example", "role": "support", "password": PASSWORD, "x": 1}, 422, None),
    ],
)
async def test_an_operator_that_cannot_be_made_is_a_422_and_nothing_is_made(
    gateway: Gateway, body: dict[str, object], status: int, code: str | None
) -> None:
    _, admin = await admin_of(gateway)

    response = await gateway.client.post("/v1/admin/operators", json=body, headers=admin)
    listed = await gateway.client.get("/v1/admin/operators", headers=admin)

    assert response.status_code == status, response.text
    assert response.json()["code"] == "validation_error"
    assert listed.json()["operators"] == []


async def test_the_same_e_mail_twice_is_a_409_and_an_unknown_operator_a_404(
    gateway: Gateway,
) -> None:
    _, admin = await admin_of(gateway)
    body = {"email": "li@acme.example", "role": "auditor", "password": PASSWORD}

    await gateway.client.post("/v1/admin/operators", json=body, headers=admin)
    again = await gateway.client.post("/v1/admin/operators", json=body, headers=admin)
    unknown = await gateway.client.put(
        "/v1/admin/operators/op_nobody", json={"role": "auditor"}, headers=admin
    )

    assert (again.status_code, again.json()["code"]) == (409, "operator_exists")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "operator_not_found")


async def test_only_administrators_manage_operators(gateway: Gateway) -> None:
    tenant_id, _ = await admin_of(gateway)
    issued = await gateway.container.keys.create_key(tenant_id, "operator", role="support")
    support = {"Authorization": f"Bearer {issued.secret}"}

    listed = await gateway.client.get("/v1/admin/operators", headers=support)

    assert listed.status_code == 403


async def made_and_signed_in(
    gateway: Gateway, tenant_id: str, admin: dict[str, str]
) -> tuple[str, dict[str, str], dict[str, str]]:
    """A new support operator: their id, their sign-in body and a session's headers."""
    email = f"op.{new_tenant()}@acme.example"
    body = {"email": email, "role": "support", "password": PASSWORD}
    created = await gateway.client.post("/v1/admin/operators", json=body, headers=admin)
    login = {"tenant_id": tenant_id, "email": email, "password": PASSWORD}
    session = await gateway.client.post("/v1/auth/sessions", json=login)
    token = {"Authorization": f"Bearer {session.json()['token']}"}
    return created.json()["operator_id"], login, token


async def test_a_disabled_operator_loses_their_sessions_and_cannot_sign_in_until_enabled(
    gateway: Gateway,
) -> None:
    tenant_id, admin = await admin_of(gateway)
    operator_id, login, token = await made_and_signed_in(gateway, tenant_id, admin)

    disabled = await gateway.client.post(
        f"/v1/admin/operators/{operator_id}/disable", headers=admin
    )
    after = await gateway.client.get("/v1/admin/whoami", headers=token)
    refused = await gateway.client.post("/v1/auth/sessions", json=login)
    listed = await gateway.client.get("/v1/admin/operators", headers=admin)
    enabled = await gateway.client.post(f"/v1/admin/operators/{operator_id}/enable", headers=admin)
    again = await gateway.client.post("/v1/auth/sessions", json=login)

    assert disabled.status_code == 200, disabled.text
    assert disabled.json()["disabled"] is True
    assert after.status_code == 401
    assert (refused.status_code, refused.json()["code"]) == (401, "invalid_credentials")
    assert [o["disabled"] for o in listed.json()["operators"]] == [True]
    assert enabled.json()["disabled"] is False
    assert again.status_code == 201


async def test_ending_an_operators_sessions_signs_them_out_everywhere_at_once(
    gateway: Gateway,
) -> None:
    tenant_id, admin = await admin_of(gateway)
    operator_id, login, first = await made_and_signed_in(gateway, tenant_id, admin)
    second = await gateway.client.post("/v1/auth/sessions", json=login)

    ended = await gateway.client.post(
        f"/v1/admin/operators/{operator_id}/sessions/end", headers=admin
    )
    token = {"Authorization": f"Bearer {second.json()['token']}"}

    assert ended.status_code == 200
    assert ended.json() == {"operator_id": operator_id, "sessions_ended": 2}
    assert (await gateway.client.get("/v1/admin/whoami", headers=first)).status_code == 401
    assert (await gateway.client.get("/v1/admin/whoami", headers=token)).status_code == 401
    assert (await gateway.client.post("/v1/auth/sessions", json=login)).status_code == 201


async def test_another_tenants_operator_cannot_be_disabled_or_signed_out(
    gateway: Gateway,
) -> None:
    tenant_id, admin = await admin_of(gateway)
    operator_id, _, token = await made_and_signed_in(gateway, tenant_id, admin)
    _, stranger = await admin_of(gateway)

    answers = [
        await gateway.client.post(f"/v1/admin/operators/{operator_id}/{action}", headers=stranger)
        for action in ("disable", "enable", "sessions/end")
    ]

    assert [a.status_code for a in answers] == [404, 404, 404]
    assert {a.json()["code"] for a in answers} == {"operator_not_found"}
    assert (await gateway.client.get("/v1/admin/whoami", headers=token)).status_code == 200
