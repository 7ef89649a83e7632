"""The admin command line's changes in the audit trail, against a real MongoDB-protocol
server: each change is one entry by actor `cli` (the OS user) in the changed tenant's trail,
or the platform's, with the fields before and after where a reader exists; listings and
refused commands add nothing; no password, secret or e-mail reaches the trail."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gateway.admin.audited import os_user
from gateway.admin.commands import CommandError
from gateway.edge.audit.store import AuditQuery
from gateway.settings import GatewaySettings
from gateway.tenancy.platform_admins import PLATFORM_TRAIL
from gateway.tests.integration.support import SettingsFactory, new_tenant, running_gateway
from gateway.tests.integration.test_admin_cli import admin
from libs.ids import new_id

pytestmark = pytest.mark.integration

PASSWORD = "a long enough password\n"


@pytest.fixture
def settings(make_settings: SettingsFactory) -> GatewaySettings:
    return make_settings()


async def cli_entries(settings: GatewaySettings, tenant_id: str) -> list[Any]:
    """The tenant's command-line entries as an admin reads them, oldest first."""
    async with running_gateway(settings) as gateway:
        if tenant_id == PLATFORM_TRAIL:
            page = await gateway.container.audit.search(
                AuditQuery(tenant_id, action="CLI "), limit=200, cursor=None
            )
            return [
                {"action": e.action, "resources": [f"{r.kind}:{r.id}" for r in e.resources]}
                for e in reversed(page.entries)
            ]
        reader = await gateway.key(tenant_id, "operator")
        found = await gateway.client.get(
            "/v1/admin/audit", params={"action": "CLI "}, headers=reader
        )
        assert found.status_code == 200, found.text
        return list(reversed(found.json()["entries"]))


async def stored(settings: GatewaySettings, tenant_id: str) -> str:
    async with running_gateway(settings) as gateway:
        docs = gateway.container.db["audit_trail"].find({"tenant_id": tenant_id})
        return json.dumps([doc async for doc in docs], default=str)


def changed(entry: Any) -> dict[str, Any]:
    return {
        c["field"]: "personal" if c["personal"] else (c["before"], c["after"])
        for c in entry["changes"]
    }


async def test_the_clis_key_and_operator_changes_are_in_the_tenants_trail_with_before_and_after(
    settings: GatewaySettings,
) -> None:
    tenant = new_tenant()
    email = f"support.{new_id()}@brand.example"

    key = await admin(settings, "keys", "create", "--tenant", tenant, "--channel", "operator",
                      "--role", "marketer")  # fmt: skip
    key_id = key["key"]["key_id"]
    await admin(settings, "keys", "list", "--tenant", tenant)
    await admin(settings, "keys", "revoke", "--tenant", tenant, key_id)
    made = await admin(settings, "operators", "create", "--tenant", tenant, "--email", email,
                       "--role", "support", "--password-stdin", stdin=PASSWORD)  # fmt: skip
    operator_id = made["operator_id"]
    await admin(settings, "operators", "disable", "--tenant", tenant, operator_id)
    await admin(settings, "operators", "list", "--tenant", tenant)
    with pytest.raises(CommandError):
        await admin(settings, "operators", "enable", "--tenant", tenant, "op_nobody")
    entries = await cli_entries(settings, tenant)
    kept = await stored(settings, tenant)

    assert [(e["action"], e["status"]) for e in entries] == [
        ("CLI keys create", 201),
        ("CLI keys revoke", 200),
        ("CLI operators create", 201),
        ("CLI operators disable", 200),
    ]
    assert {(e["actor"]["kind"], e["actor"]["id"], e["actor"]["role"]) for e in entries} == {
        ("cli", os_user(), "cli")
    }
    assert entries[0]["origin"]["user_agent"] == "python -m gateway.admin"
    assert [r["id"] for r in entries[0]["resources"]] == [tenant, key_id]
    assert changed(entries[0])["role"] == (None, "marketer")
    assert changed(entries[1]) == {"revoked": (False, True)}
    assert [r["id"] for r in entries[2]["resources"]] == [tenant, operator_id]
    assert changed(entries[2])["email"] == "personal"
    assert changed(entries[2])["role"] == (None, "support")
    assert changed(entries[3]) == {"disabled": (False, True)}
    assert email not in kept
    assert PASSWORD.strip() not in kept
    assert key["secret"] not in kept


async def test_the_clis_tenant_and_platform_changes_are_in_their_trails(
    make_settings: SettingsFactory, redis_url: str
) -> None:
    settings = make_settings(redis_url=redis_url)  # suspensions are flagged in Redis too
    tenant = new_tenant()
    created = ["tenants", "create", "--tenant", tenant, "--name", "Acme", "--region", "CN",
               "--time-zone", "Asia/Shanghai", "--currency", "CNY", "--store", "SH01"]  # fmt: skip

    await admin(settings, *created)
    await admin(settings, "tenants", "configure", "--tenant", tenant, "--brand-name", "Acme Club")
    await admin(settings, "tenants", "suspend", "--tenant", tenant)
    await admin(settings, "tenants", "resume", "--tenant", tenant)
    platform_admin = await admin(settings, "platform", "create-admin", "--name", "on-call")
    await admin(settings, "platform", "revoke-admin", platform_admin["admin_id"])
    entries = await cli_entries(settings, tenant)
    platform = await cli_entries(settings, PLATFORM_TRAIL)

    assert [e["action"] for e in entries] == [
        "CLI tenants create",
        "CLI tenants configure",
        "CLI tenants suspend",
        "CLI tenants resume",
    ]
    assert changed(entries[0])["name"] == (None, "Acme")
    assert changed(entries[1])["branding.display_name"] == (None, "Acme Club")
    suspended = changed(entries[2])["suspended_at"]
    assert suspended[0] is None
    assert suspended[1]
    assert changed(entries[3])["suspended_at"] == (suspended[1], None)
    pa = f"platform_admin:{platform_admin['admin_id']}"
    assert {"action": "CLI platform create-admin", "resources": [pa]} in platform
    assert {"action": "CLI platform revoke-admin", "resources": [pa]} in platform
    assert platform_admin["secret"] not in await stored(settings, PLATFORM_TRAIL)
