"""The recorder's view of a tenant's enabled endpoints: read once for batches in a row,
and read again at once after a change through this gateway's admin routes."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.tests.integration.support import Gateway, new_tenant
from gateway.webhooks.enabled_cache import enabled_endpoints_of
from gateway.webhooks.worker import endpoint_store

pytestmark = pytest.mark.integration

HOOKS = "/v1/admin/webhooks"


async def subscribed_ids(gateway: Gateway, tenant_id: str) -> list[str]:
    store = endpoint_store(gateway.container.db)  # a store of its own, as the recorder's
    return [e.endpoint_id for e in await store.subscribed(tenant_id, ["points.earned"])]


async def a_hook(gateway: Gateway, tenant_id: str) -> tuple[str, dict[str, Any]]:
    operator = await gateway.key(tenant_id, "operator")
    body = {"url": "https://erp.example.com/hook", "event_types": ["points.earned"]}
    answer = await gateway.client.post(HOOKS, json=body, headers=operator)
    assert answer.status_code == 201, answer.text
    return answer.json()["webhook"]["endpoint_id"], operator


async def test_batches_in_a_row_read_the_tenants_endpoints_once(gateway: Gateway) -> None:
    tenant_id = new_tenant()
    endpoint_id, _ = await a_hook(gateway, tenant_id)
    cache = enabled_endpoints_of(gateway.container.db.name)
    misses = cache.misses

    found = [await subscribed_ids(gateway, tenant_id) for _ in range(3)]

    assert found == [[endpoint_id]] * 3
    assert cache.misses - misses == 1


async def test_an_endpoint_disabled_enabled_and_deleted_through_the_routes_applies_at_once(
    gateway: Gateway,
) -> None:
    tenant_id = new_tenant()
    endpoint_id, operator = await a_hook(gateway, tenant_id)
    path = f"{HOOKS}/{endpoint_id}"
    taking = await subscribed_ids(gateway, tenant_id)

    await gateway.client.post(f"{path}/disable", headers=operator)
    disabled = await subscribed_ids(gateway, tenant_id)
    await gateway.client.post(f"{path}/enable", headers=operator)
    enabled = await subscribed_ids(gateway, tenant_id)
    await gateway.client.delete(path, headers=operator)
    deleted = await subscribed_ids(gateway, tenant_id)

    assert (taking, disabled, enabled, deleted) == ([endpoint_id], [], [endpoint_id], [])
