"""Sign-in cannot exhaust the gateway or a tenant's API budget (docs/security.md, items 1
and 2): buckets per client address and per account of their own, a bound on concurrent
password hashes, a bounded tenant-policy cache."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from gateway.tenancy.policies import TenantPolicies, default_limits
from gateway.tests.integration.support import (
    Gateway,
    SettingsFactory,
    new_tenant,
    running_gateway,
)
from libs.ids import new_id

PASSWORD = "a long enough password"


def from_address(gateway: Gateway, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=gateway.app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://gateway")


def new_address() -> str:
    return "10." + ".".join(str(secrets.randbelow(250) + 1) for _ in range(3))


def stranger(tenant: str | None = None) -> dict[str, str]:
    """A sign-in of nobody: a random tenant and e-mail unless told."""
    email = f"x.{new_id()}@brand.example"
    return {"tenant_id": tenant or new_tenant(), "email": email, "password": "wrong password!"}


@pytest.fixture
async def limited(make_settings: SettingsFactory, redis_url: str) -> AsyncIterator[Gateway]:
    # Three attempts an address, given back one a quarter of an hour: however slowly a
    # busy machine hashes, none comes back during a test.
    settings = make_settings(
        redis_url=redis_url, sign_in_address_burst=3, sign_in_address_per_second=1 / 900
    )
    async with running_gateway(settings) as running:
        yield running


async def test_sign_in_attempts_leave_the_tenants_api_budget_alone(limited: Gateway) -> None:
    tenant = new_tenant()
    await limited.container.policies.configure(
        tenant, rate_limits={"per_tenant": {"per_second": 0.1, "burst": 3}}
    )
    till = await limited.key(tenant, "pos")
    statuses = []
    for _ in range(6):
        async with from_address(limited, new_address()) as client:
            statuses.append(
                (await client.post("/v1/auth/sessions", json=stranger(tenant))).status_code
            )

    served = await limited.client.get(f"/v1/members/{new_id()}", headers=till)

    assert statuses == [401] * 6
    assert served.status_code == 404


async def test_one_address_trying_many_accounts_is_slowed_down(limited: Gateway) -> None:
    async with from_address(limited, new_address()) as client:
        statuses = [
            (await client.post("/v1/auth/sessions", json=stranger())).status_code for _ in range(4)
        ]
        refused = await client.post("/v1/auth/sessions", json=stranger())
    async with from_address(limited, new_address()) as elsewhere:
        other = await elsewhere.post("/v1/auth/sessions", json=stranger())

    assert statuses == [401, 401, 401, 429]
    assert refused.json()["code"] == "rate_limited"
    assert "address" in refused.json()["detail"]
    assert int(refused.headers["retry-after"]) >= 1
    assert other.status_code == 401


async def test_sign_ins_beyond_the_bound_on_hashes_are_refused_at_once(
    make_settings: SettingsFactory,
) -> None:
    settings = make_settings(sign_in_concurrent_hashes=1, sign_in_waiting_hashes=1)
    async with running_gateway(settings) as gateway:

        async def attempt() -> httpx.Response:
            async with from_address(gateway, new_address()) as client:
                return await client.post("/v1/auth/sessions", json=stranger())

        answers = await asyncio.gather(*(attempt() for _ in range(8)))

    statuses = sorted(a.status_code for a in answers)
    busy = [a for a in answers if a.status_code == 503]
    assert set(statuses) == {401, 503}
    assert statuses.count(401) >= 2
    assert busy[0].json()["code"] == "sign_in_busy"
    assert busy[0].headers["retry-after"] == "1"


async def test_an_unknown_tenant_an_unknown_e_mail_and_a_wrong_password_answer_alike(
    gateway: Gateway,
) -> None:
    tenant = new_tenant()
    email = f"admin.{new_id()}@brand.example"
    await gateway.container.operators.create(tenant, email, "admin", PASSWORD)
    attempts = [
        {"tenant_id": new_tenant(), "email": email, "password": PASSWORD},
        {"tenant_id": tenant, "email": f"n.{new_id()}@brand.example", "password": PASSWORD},
        {"tenant_id": tenant, "email": email, "password": "not the password"},
    ]

    answers = [await gateway.client.post("/v1/auth/sessions", json=a) for a in attempts]

    def shape(response: httpx.Response) -> Any:
        body = response.json()
        return response.status_code, body["code"], body["detail"], sorted(response.headers)

    assert len({str(shape(a)) for a in answers}) == 1


async def test_sign_ins_naming_random_tenants_leave_the_tenant_cache_as_it_was(
    gateway: Gateway,
) -> None:
    before = gateway.container.policies.cached_tenants

    for _ in range(10):
        await gateway.client.post("/v1/auth/sessions", json=stranger())

    assert gateway.container.policies.cached_tenants == before


async def test_the_tenant_policy_cache_holds_at_most_its_limit(gateway: Gateway) -> None:
    settings = gateway.container.settings
    policies = TenantPolicies(
        gateway.container.db["tenants"], default_limits(settings), cache_limit=5
    )

    for _ in range(12):
        await policies.policy(new_tenant())

    assert 0 < policies.cached_tenants <= 5
