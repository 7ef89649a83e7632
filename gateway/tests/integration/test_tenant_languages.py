"""The languages a tenant offers, read for every answer that speaks: kept briefly in each
gateway process, and read again at once after a change through its platform routes."""

from __future__ import annotations

import pytest

from gateway.tenancy.tenants import Tenant
from gateway.tests.integration.points_support import an_order, enrolled
from gateway.tests.integration.support import Gateway, new_tenant

pytestmark = pytest.mark.integration


async def a_chinese_tenant(gateway: Gateway) -> str:
    tenant_id = new_tenant()
    await gateway.container.tenants.upsert(
        Tenant(tenant_id, "Acme", ("S001",), "CN", "Asia/Shanghai", "CNY")
    )
    return tenant_id


async def test_purchases_one_after_another_read_the_tenants_languages_once(
    gateway: Gateway,
) -> None:
    tenant_id = await a_chinese_tenant(gateway)
    pos = await gateway.key(tenant_id, "pos", store_id="S001")
    member_id = await enrolled(gateway, pos)
    reads = gateway.container.languages.reads

    answers = [
        await gateway.client.post("/v1/orders", json=an_order(member_id), headers=pos)
        for _ in range(3)
    ]

    assert [a.status_code for a in answers] == [201, 201, 201]
    assert {a.headers["content-language"] for a in answers} == {"zh-CN"}
    assert gateway.container.languages.reads - reads == 1


async def test_a_change_of_languages_through_the_platform_api_applies_to_the_next_answer(
    gateway: Gateway,
) -> None:
    tenant_id = await a_chinese_tenant(gateway)
    pos = await gateway.key(tenant_id, "pos", store_id="S001")
    member_id = await enrolled(gateway, pos)
    platform = await gateway.container.platform_admins.create("integration")
    admin = {"Authorization": f"Bearer {platform.secret}"}
    before = await gateway.client.post("/v1/orders", json=an_order(member_id), headers=pos)

    changed = await gateway.client.patch(
        f"/v1/platform/tenants/{tenant_id}", json={"languages": ["en", "zh-CN"]}, headers=admin
    )
    after = await gateway.client.post("/v1/orders", json=an_order(member_id), headers=pos)

    assert changed.status_code == 200, changed.text
    assert before.headers["content-language"] == "zh-CN"
    assert after.headers["content-language"] == "en"
