from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from gateway.edge.limits.bucket import TAKE_TOKENS, bucket_keys
from gateway.tests.integration.support import (
    Gateway,
    SettingsFactory,
    new_tenant,
    running_gateway,
)
from libs.ids import new_id


@pytest.fixture
async def limited(make_settings: SettingsFactory, redis_url: str) -> AsyncIterator[Gateway]:
    """A gateway whose rate limits are kept in the session's real Redis server."""
    async with running_gateway(make_settings(redis_url=redis_url)) as running:
        yield running


async def limit(gateway: Gateway, tenant: str, **buckets: dict[str, Any]) -> None:
    await gateway.container.policies.configure(tenant, rate_limits=buckets)


async def read_member(gateway: Gateway, headers: dict[str, str]) -> int:
    response = await gateway.client.get(f"/v1/members/{new_id()}", headers=headers)
    return response.status_code


async def test_a_key_past_its_burst_gets_429_with_retry_after(limited: Gateway) -> None:
    tenant = new_tenant()
    await limit(limited, tenant, per_key={"per_second": 0.5, "burst": 3})
    headers = await limited.legacy_key(tenant, "app")

    statuses = [await read_member(limited, headers) for _ in range(3)]
    refused = await limited.client.get(f"/v1/members/{new_id()}", headers=headers)

    assert statuses == [404, 404, 404]
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "rate_limited"
    assert "API key" in refused.json()["detail"]
    assert int(refused.headers["retry-after"]) >= 1


async def test_the_tenant_bucket_is_shared_by_all_its_keys(limited: Gateway) -> None:
    tenant = new_tenant()
    await limit(limited, tenant, per_tenant={"per_second": 0.5, "burst": 4})
    first, second = await limited.legacy_key(tenant, "app"), await limited.key(tenant, "pos")

    statuses = [await read_member(limited, h) for h in (first, second, first, second)]
    refused = await limited.client.get(f"/v1/members/{new_id()}", headers=second)

    assert statuses == [404] * 4
    assert refused.status_code == 429
    assert "tenant" in refused.json()["detail"]


async def test_another_tenant_is_not_slowed_by_a_limited_one(limited: Gateway) -> None:
    tenant = new_tenant()
    await limit(limited, tenant, per_key={"per_second": 0.5, "burst": 1})
    busy = await limited.legacy_key(tenant, "app")
    await read_member(limited, busy)

    assert await read_member(limited, busy) == 429
    assert await read_member(limited, await limited.legacy_key(new_tenant(), "app")) == 404


async def test_tokens_come_back_as_time_passes(limited: Gateway) -> None:
    tenant = new_tenant()
    await limit(limited, tenant, per_key={"per_second": 20, "burst": 1})
    headers = await limited.legacy_key(tenant, "app")

    assert await read_member(limited, headers) == 404
    assert await read_member(limited, headers) == 429
    await asyncio.sleep(0.1)
    assert await read_member(limited, headers) == 404


async def test_concurrent_requests_never_take_more_than_the_burst(limited: Gateway) -> None:
    tenant = new_tenant()
    await limit(limited, tenant, per_key={"per_second": 0.01, "burst": 5})
    headers = await limited.legacy_key(tenant, "app")

    statuses = await asyncio.gather(*(read_member(limited, headers) for _ in range(20)))

    assert sorted(statuses) == [404] * 5 + [429] * 15


async def test_the_default_allows_at_least_50_requests_a_second_per_key(
    limited: Gateway,
) -> None:
    headers = await limited.legacy_key(new_tenant(), "app")

    statuses = await asyncio.gather(*(read_member(limited, headers) for _ in range(60)))

    assert set(statuses) == {404}


async def test_an_unreachable_redis_lets_requests_through(gateway: Gateway) -> None:
    tenant = new_tenant()
    await limit(gateway, tenant, per_key={"per_second": 0.01, "burst": 1})
    headers = await gateway.legacy_key(tenant, "app")

    statuses = [await read_member(gateway, headers) for _ in range(3)]

    assert statuses == [404, 404, 404]


async def test_an_unknown_key_is_401_not_429(limited: Gateway) -> None:
    response = await limited.client.get(
        f"/v1/members/{new_id()}", headers={"Authorization": "Bearer lk_app_unknown"}
    )

    assert response.status_code == 401


async def test_a_batch_of_tokens_takes_at_most_what_both_buckets_hold(limited: Gateway) -> None:
    tenant = new_tenant()
    take = limited.container.redis.register_script(TAKE_TOKENS)
    keys = bucket_keys(tenant, new_id())
    # a key bucket of 3 and a tenant bucket of 100, hardly refilling; 50 tokens wanted
    limits = [0.001, 3, 0.001, 100]

    first = await take(keys, [*limits, 50])
    second = await take(keys, [*limits, 50])

    assert int(first[0]) == 3
    assert int(second[0]) == 0
    assert bytes(second[2]) == b"key"
    tenant_tokens = await limited.container.redis.hget(keys[1], "tokens")
    assert tenant_tokens is not None
    assert float(tenant_tokens) < 97.01
