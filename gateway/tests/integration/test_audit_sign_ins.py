"""Operators' sign-ins in the audit trail, against a real MongoDB-protocol server (and Valkey
for the throttle): a sign-in, a wrong password, a disabled operator and a sign-out are in
the tenant's trail with the operator's id and never the typed e-mail or password; a
sign-in naming nobody is `unknown_operator`, in the platform's trail when its tenant does
not exist; a throttled flood adds a handful of counted entries, not one per attempt."""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from gateway.edge.audit.store import AuditQuery
from gateway.tenancy.platform_admins import PLATFORM_TRAIL
from gateway.tests.integration.support import (
    Gateway,
    SettingsFactory,
    new_tenant,
    running_gateway,
)
from libs.ids import new_id

pytestmark = pytest.mark.integration

PASSWORD = "a long enough first password"
SIGN_INS = "POST /v1/auth/sessions"


def from_address(gateway: Gateway, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=gateway.app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://gateway")


async def trail(gateway: Gateway, tenant_id: str) -> list[Any]:
    """The tenant's entries as an admin reads them, oldest first."""
    admin = await gateway.key(tenant_id, "operator")
    found = await gateway.client.get("/v1/admin/audit", params={"limit": 200}, headers=admin)
    assert found.status_code == 200, found.text
    return list(reversed(found.json()["entries"]))


async def stored(gateway: Gateway, tenant_id: str) -> str:
    """Every stored entry of the tenant, as the database holds it."""
    docs = gateway.container.db["audit_trail"].find({"tenant_id": tenant_id})
    return json.dumps([doc async for doc in docs], default=str)


@pytest.fixture
async def limited(make_settings: SettingsFactory, redis_url: str) -> AsyncIterator[Gateway]:
    # Given back one a quarter of an hour: none comes back during a test, however busy.
    settings = make_settings(
        redis_url=redis_url, sign_in_address_burst=3, sign_in_address_per_second=1 / 900
    )
    async with running_gateway(settings) as running:
        yield running


async def test_sign_ins_and_sign_outs_are_in_the_tenants_trail_without_the_typed_e_mail_or_password(
    gateway: Gateway,
) -> None:
    tenant_id = new_tenant()
    email = f"support.{new_id()}@brand.example"
    operator = await gateway.container.operators.create(tenant_id, email, "support", PASSWORD)
    right = {"tenant_id": tenant_id, "email": email, "password": PASSWORD}
    wrong = {**right, "password": "not the password at all"}

    async with from_address(gateway, "10.1.2.3") as client:
        failed = await client.post("/v1/auth/sessions", json=wrong)
        signed_in = await client.post("/v1/auth/sessions", json=right)
        token = {"Authorization": f"Bearer {signed_in.json()['token']}"}
        signed_out = await client.delete("/v1/auth/sessions/current", headers=token)
    await gateway.container.operators.set_disabled(tenant_id, operator.operator_id, disabled=True)
    disabled = await gateway.client.post("/v1/auth/sessions", json=right)
    entries = await trail(gateway, tenant_id)
    kept = await stored(gateway, tenant_id)

    assert [failed.status_code, signed_in.status_code, signed_out.status_code] == [401, 201, 204]
    assert disabled.status_code == 401
    mine = [e for e in entries if e["actor"]["id"] == operator.operator_id]
    assert [(e["action"], e["status"]) for e in mine] == [
        (SIGN_INS, 401),
        (SIGN_INS, 201),
        ("DELETE /v1/auth/sessions/current", 204),
        (SIGN_INS, 401),
    ]
    first = mine[0]
    assert first["actor"] == {
        "kind": "operator",
        "id": operator.operator_id,
        "role": "support",
        "stores": [],
    }
    assert first["origin"]["client_address"] == "10.1.2.3"
    assert first["resources"] == [{"kind": "operator", "id": operator.operator_id}]
    assert email not in kept
    assert PASSWORD not in kept
    assert "not the password" not in kept


async def test_a_sign_in_naming_nobody_is_an_unknown_operator_and_a_made_up_tenant_the_platforms(
    gateway: Gateway,
) -> None:
    tenant_id = new_tenant()
    await gateway.container.operators.create(
        tenant_id, f"admin.{new_id()}@brand.example", "admin", PASSWORD
    )
    typed = f"nobody.{new_id()}@brand.example"
    made_up = new_tenant()

    known_tenant = await gateway.client.post(
        "/v1/auth/sessions", json={"tenant_id": tenant_id, "email": typed, "password": PASSWORD}
    )
    no_tenant = await gateway.client.post(
        "/v1/auth/sessions", json={"tenant_id": made_up, "email": typed, "password": PASSWORD}
    )
    entries = [e for e in await trail(gateway, tenant_id) if e["action"] == SIGN_INS]
    platform = await gateway.container.audit.search(
        AuditQuery(PLATFORM_TRAIL, action=SIGN_INS), limit=50, cursor=None
    )

    assert (known_tenant.status_code, no_tenant.status_code) == (401, 401)
    assert [(e["actor"], e["status"], e["resources"]) for e in entries] == [
        ({"kind": "unknown_operator", "id": "unknown", "role": "unknown", "stores": []}, 401, [])
    ]
    made_up_trail = await gateway.container.audit.search(AuditQuery(made_up), limit=1, cursor=None)
    assert made_up_trail.entries == []
    assert any(e.actor.kind == "unknown_operator" for e in platform.entries)
    assert typed not in await stored(gateway, tenant_id)
    assert typed not in await stored(gateway, PLATFORM_TRAIL)


async def test_a_throttled_flood_of_sign_ins_adds_a_few_counted_entries_not_one_per_attempt(
    limited: Gateway,
) -> None:
    tenant_id = new_tenant()
    await limited.container.operators.create(
        tenant_id, f"admin.{new_id()}@brand.example", "admin", PASSWORD
    )
    attempt = {"tenant_id": tenant_id, "email": f"x.{new_id()}@brand.example", "password": "no!"}

    address = f"10.9.{secrets.randbelow(250)}.{secrets.randbelow(250)}"
    async with from_address(limited, address) as client:
        statuses = [
            (await client.post("/v1/auth/sessions", json=attempt)).status_code for _ in range(25)
        ]
    entries = [e for e in await trail(limited, tenant_id) if e["action"] == SIGN_INS]

    assert statuses == [401] * 3 + [429] * 22
    assert [(e["status"], e["refused_in_window"]) for e in entries] == [
        (401, None),
        (401, None),
        (401, None),
        (429, 1),
        (429, 10),
    ]
