from __future__ import annotations

import asyncio
import json
import stat
from pathlib import Path

from gateway.container import open_stores
from gateway.seed.run import seed
from gateway.tenancy.keys import CHANNELS
from gateway.tenancy.tenants import Tenant
from gateway.tests.integration.fakes import FakeServices, start_fake_services
from gateway.tests.integration.servers import free_port
from gateway.tests.integration.support import SettingsFactory, running_gateway

URL = "http://127.0.0.1:8000"


async def test_seeding_twice_keeps_the_keys_and_the_tenants_once(
    make_settings: SettingsFactory, services: FakeServices, tmp_path: Path
) -> None:
    settings = make_settings()
    credentials = tmp_path / "credentials.json"

    first = await seed(settings, credentials, URL)
    second = await seed(settings, credentials, URL)

    assert first == second
    assert set(first) == {"demo", "sandbox"}
    assert all(set(by_channel) == set(CHANNELS) for by_channel in first.values())
    written = json.loads(credentials.read_text())
    assert (written["tenants"], written["gateway_url"]) == (first, URL)
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    stores = open_stores(settings)
    try:
        tenant_ids = await stores.db["tenants"].distinct("_id")
        key_count = await stores.db["api_keys"].count_documents({})
        demo = await stores.tenants.get("demo")
    finally:
        await stores.mongo.close()
    assert sorted(tenant_ids) == ["demo", "sandbox"]
    assert key_count == 2 * len(CHANNELS)
    assert demo == Tenant(
        "demo",
        "Demo Brand",
        ("S001", "S002", "S003"),
        "CN",
        "Asia/Shanghai",
        "CNY",
        ("en", "zh-CN"),  # typed in English, translated into Chinese
    )


async def test_seeding_gives_each_tenant_its_programs(
    make_settings: SettingsFactory, services: FakeServices, tmp_path: Path
) -> None:
    await seed(make_settings(), tmp_path / "credentials.json", URL)

    programs = {r.tenant_id: r.program for r in services.member.tier_programs}
    rules = {r.tenant_id: r.rule for r in services.points.earning_rules}
    regions = {r.tenant_id: r.settings.default_region for r in services.member.tenant_settings}
    assert set(programs) == set(rules) == set(regions) == {"demo", "sandbox"}
    tiers = [(t.code, t.threshold, t.multiplier) for t in programs["demo"].tiers]
    assert tiers == [("member", 0, "1"), ("silver", 1000, "1.25"), ("gold", 5000, "1.5")]
    assert (programs["demo"].qualifying_metric, programs["demo"].window_days) == (
        "points_earned",
        365,
    )
    rule = rules["sandbox"]
    assert (rule.currency, rule.points_per_unit, rule.rounding, rule.expiry_months) == (
        "CNY",
        "1",
        "floor",
        24,
    )
    assert regions["demo"] == "CN"


async def test_seeded_keys_authenticate_as_their_tenant_and_channel(
    make_settings: SettingsFactory, services: FakeServices, tmp_path: Path
) -> None:
    settings = make_settings()
    secrets = await seed(settings, tmp_path / "credentials.json", URL)

    async with running_gateway(settings) as gateway:
        for tenant_id, by_channel in secrets.items():
            for channel, secret in by_channel.items():
                key = await gateway.container.keys.find_by_secret(secret)
                assert key is not None
                assert (key.tenant_id, key.channel, key.store_id) == (tenant_id, channel, None)


async def test_a_revoked_key_makes_the_seed_issue_new_ones(
    make_settings: SettingsFactory, services: FakeServices, tmp_path: Path
) -> None:
    settings = make_settings()
    credentials = tmp_path / "credentials.json"
    first = await seed(settings, credentials, URL)
    async with running_gateway(settings) as gateway:
        key = await gateway.container.keys.find_by_secret(first["sandbox"]["app"])
        assert key is not None
        await gateway.container.keys.revoke(key.key_id)

    second = await seed(settings, credentials, URL)

    assert second["demo"]["pos"] != first["demo"]["pos"]
    assert json.loads(credentials.read_text())["tenants"] == second


async def test_seeding_waits_for_services_that_come_up_late(
    make_settings: SettingsFactory, tmp_path: Path
) -> None:
    port = free_port()
    settings = make_settings(member_addr=f"127.0.0.1:{port}", points_addr=f"127.0.0.1:{port}")

    async def start_late() -> FakeServices:
        await asyncio.sleep(0.7)
        return await start_fake_services(port)

    late = asyncio.create_task(start_late())
    try:
        secrets = await seed(settings, tmp_path / "credentials.json", URL, wait_seconds=10)
    finally:
        await (await late).stop()

    assert set(secrets) == {"demo", "sandbox"}


async def test_seeding_writes_a_demo_admin_whose_password_signs_in_and_keeps_it(
    make_settings: SettingsFactory, services: FakeServices, tmp_path: Path
) -> None:
    settings = make_settings()
    credentials = tmp_path / "credentials.json"

    await seed(settings, credentials, URL)
    first = json.loads(credentials.read_text())["operators"]
    await seed(settings, credentials, URL)
    second = json.loads(credentials.read_text())["operators"]
    login = {k: first[0][k] for k in ("tenant_id", "email", "password")}
    async with running_gateway(settings) as gateway:
        response = await gateway.client.post("/v1/auth/sessions", json=login)

    assert [(o["tenant_id"], o["email"], o["role"]) for o in first] == [
        ("demo", "admin@demo.example", "admin")
    ]
    assert len(first[0]["password"]) >= 20
    assert second == first
    assert response.status_code == 201
    assert response.json()["operator"]["role"] == "admin"
