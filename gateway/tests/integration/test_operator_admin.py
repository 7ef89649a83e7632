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
