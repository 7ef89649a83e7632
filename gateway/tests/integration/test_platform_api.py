"""The platform's credentials and suspension against real MongoDB-protocol and Redis servers:
two gateways on one database and one Redis, each with its caches warm (a suspension through
one refuses the tenant's credentials in the other on the very next request, and resuming
lets them in again), the fallbacks when Redis forgets or is away, and the admin CLI."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Any

import pytest

from gateway.admin.cli import parser
from gateway.admin.commands import CommandError, execute
from gateway.settings import GatewaySettings
from gateway.tenancy.suspension import flag
from gateway.tenancy.tenants import Tenant
from gateway.tests.integration.support import (
    Gateway,
    SettingsFactory,
    new_tenant,
    running_gateway,
)

Pair = tuple[Gateway, Gateway]


@pytest.fixture
async def two_gateways(make_settings: SettingsFactory, redis_url: str) -> AsyncIterator[Pair]:
    settings = make_settings(redis_url=redis_url)  # one database, one Redis
    async with AsyncExitStack() as stack:
        first = await stack.enter_async_context(running_gateway(settings))
        second = await stack.enter_async_context(running_gateway(settings))
        yield first, second


async def a_tenant(gateway: Gateway) -> str:
    tenant_id = new_tenant()
    await gateway.container.tenants.upsert(
        Tenant(tenant_id, "Acme", ("S1",), "CN", "Asia/Shanghai", "CNY")
    )
    return tenant_id


async def platform_headers(gateway: Gateway) -> dict[str, str]:
    issued = await gateway.container.platform_admins.create("integration")
    return {"Authorization": f"Bearer {issued.secret}"}


async def test_a_suspension_through_one_gateway_holds_at_once_in_another_with_warm_caches(
    two_gateways: Pair,
) -> None:
    first, second = two_gateways
    tenant_id = await a_tenant(first)
    operator = await second.key(tenant_id, "operator")
    admin = await platform_headers(first)
    warm = [await second.client.get("/v1/admin/keys", headers=operator) for _ in range(2)]

    suspended = await first.client.post(f"/v1/platform/tenants/{tenant_id}/suspend", headers=admin)
    refused = await second.client.get("/v1/admin/keys", headers=operator)
    resumed = await first.client.post(f"/v1/platform/tenants/{tenant_id}/resume", headers=admin)
    back = await second.client.get("/v1/admin/keys", headers=operator)

    assert [answer.status_code for answer in warm] == [200, 200]
    assert suspended.status_code == 200, suspended.text
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "tenant_suspended"
    assert resumed.status_code == 200, resumed.text
    assert back.status_code == 200, back.text


async def test_a_gateway_puts_back_the_flags_redis_lost_from_the_tenants_documents(
    two_gateways: Pair,
) -> None:
    first, second = two_gateways
    tenant_id = await a_tenant(first)
    operator = await first.key(tenant_id, "operator")
    await first.container.suspensions.suspend(tenant_id)
    await first.container.redis.delete(flag(tenant_id))  # Redis restarted without it
    forgotten = await first.client.get("/v1/admin/keys", headers=operator)

    await second.container.suspensions.restore()  # what a gateway does at start
    restored = await first.client.get("/v1/admin/keys", headers=operator)

    assert forgotten.status_code == 200
    assert restored.status_code == 403
    assert restored.json()["code"] == "tenant_suspended"


async def test_without_redis_a_gateway_reads_the_suspension_from_the_tenants_document(
    gateway: Gateway,
) -> None:
    tenant_id = await a_tenant(gateway)
    operator = await gateway.key(tenant_id, "operator")
    await gateway.container.db["tenants"].update_one(
        {"_id": tenant_id}, {"$currentDate": {"suspended_at": True}}
    )

    refused = await gateway.client.get("/v1/admin/keys", headers=operator)

    assert gateway.container.settings.redis_url.endswith(":1")  # nothing listens there
    assert refused.status_code == 403
    assert refused.json()["code"] == "tenant_suspended"


async def test_a_platform_credential_is_refused_once_revoked(gateway: Gateway) -> None:
    issued = await gateway.container.platform_admins.create("leaver")
    headers = {"Authorization": f"Bearer {issued.secret}"}
    before = await gateway.client.get("/v1/platform/tenants", headers=headers)

    await gateway.container.platform_admins.revoke(issued.admin.admin_id)
    after = await gateway.client.get("/v1/platform/tenants", headers=headers)

    assert before.status_code == 200, before.text
    assert after.status_code == 401


async def cli(settings: GatewaySettings, *argv: str) -> Any:
    out = io.StringIO()
    await execute(parser().parse_args(argv), settings, out, io.StringIO())
    return json.loads(out.getvalue())


async def test_the_cli_makes_a_platform_administrator_and_suspends_and_resumes_a_tenant(
    make_settings: SettingsFactory, redis_url: str
) -> None:
    settings = make_settings(redis_url=redis_url)
    async with running_gateway(settings) as gateway:
        tenant_id = await a_tenant(gateway)
        operator = await gateway.key(tenant_id, "operator")
        made = await cli(settings, "platform", "create-admin", "--name", "on-call")
        admin = {"Authorization": f"Bearer {made['secret']}"}
        listed = await gateway.client.get("/v1/platform/tenants", headers=admin)
        suspended = await cli(settings, "tenants", "suspend", "--tenant", tenant_id)
        refused = await gateway.client.get("/v1/admin/keys", headers=operator)
        resumed = await cli(settings, "tenants", "resume", "--tenant", tenant_id)
        back = await gateway.client.get("/v1/admin/keys", headers=operator)
        admins = await cli(settings, "platform", "list-admins")
        with pytest.raises(CommandError, match="no tenant"):
            await cli(settings, "tenants", "suspend", "--tenant", new_tenant())

    assert made["secret"].startswith("lp_platform_")
    assert made["secret"] not in json.dumps(admins)
    assert made["admin_id"] in [a["admin_id"] for a in admins["admins"]]
    assert listed.status_code == 200, listed.text
    assert suspended["status"] == "suspended"
    assert refused.status_code == 403
    assert refused.json()["code"] == "tenant_suspended"
    assert resumed["status"] == "active"
    assert back.status_code == 200


async def test_the_cli_creates_a_tenant_with_its_stores_and_refuses_a_bad_one(
    make_settings: SettingsFactory,
) -> None:
    settings = make_settings()
    tenant_id = f"cli-{new_tenant()[2:].lower()}"
    argv = ["tenants", "create", "--tenant", tenant_id, "--name", "Acme", "--region", "CN"]
    argv += ["--time-zone", "Asia/Shanghai", "--currency", "CNY", "--point-value", "0.01"]

    made = await cli(settings, *argv, "--store", "SH01", "--store", "HK01=Asia/Hong_Kong")
    with pytest.raises(CommandError, match="exists already"):
        await cli(settings, *argv)
    with pytest.raises(CommandError, match="time_zone"):
        await cli(settings, *argv[:-6], "--time-zone", "Mars/Olympus", "--currency", "CNY")
    async with running_gateway(settings) as gateway:
        kept = await gateway.container.tenants.get(tenant_id)

    assert made["stores"] == [
        {"store_id": "SH01", "time_zone": "Asia/Shanghai"},
        {"store_id": "HK01", "time_zone": "Asia/Hong_Kong"},
    ]
    assert kept is not None
    assert kept.store_time_zones == {"HK01": "Asia/Hong_Kong"}
    assert kept.point_value is not None
    assert kept.point_value.amount == "0.01"
