"""Made-up session tokens cannot each cost a database query without limit (docs/security.md,
item 10): a bounded cache of unknown tokens and a per-address allowance of them."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.tests.integration.support import (
    Gateway,
    SettingsFactory,
    new_tenant,
    running_gateway,
)
from gateway.tests.integration.test_sign_in_limits import from_address, new_address
from libs.ids import new_id

PASSWORD = "a long enough password"


def made_up() -> dict[str, str]:
    return {"Authorization": f"Bearer lo_{secrets.token_urlsafe(32)}"}


@pytest.fixture
async def strict(make_settings: SettingsFactory) -> AsyncIterator[Gateway]:
    # Given back one a quarter of an hour: none comes back during a test, however busy.
    settings = make_settings(session_failures_burst=3, session_failures_per_second=1 / 900)
    async with running_gateway(settings) as running:
        yield running


async def whoami(client: httpx.AsyncClient, headers: dict[str, str]) -> int:
    return (await client.get("/v1/admin/whoami", headers=headers)).status_code


async def test_an_address_presenting_made_up_tokens_is_refused_before_any_lookup(
    strict: Gateway,
) -> None:
    async with from_address(strict, new_address()) as client:
        statuses = [await whoami(client, made_up()) for _ in range(5)]
        refused = await client.get("/v1/admin/whoami", headers=made_up())
    async with from_address(strict, new_address()) as elsewhere:
        other = await whoami(elsewhere, made_up())

    assert statuses == [401, 401, 401, 429, 429]
    assert refused.json()["code"] == "rate_limited"
    assert int(refused.headers["retry-after"]) >= 1
    assert other == 401


async def test_the_same_unknown_token_again_is_answered_from_memory(strict: Gateway) -> None:
    token = made_up()
    async with from_address(strict, new_address()) as client:
        statuses = [await whoami(client, token) for _ in range(6)]
        fresh = await whoami(client, made_up())

    assert statuses == [401] * 6
    assert fresh == 401


async def test_a_token_not_shaped_like_a_session_spends_nothing(strict: Gateway) -> None:
    async with from_address(strict, new_address()) as client:
        statuses = [await whoami(client, {"Authorization": "Bearer lo_short"}) for _ in range(6)]
        fresh = await whoami(client, made_up())

    assert statuses == [401] * 6
    assert fresh == 401


async def test_an_operator_signed_in_elsewhere_is_not_slowed_by_a_guessing_address(
    strict: Gateway,
) -> None:
    tenant = new_tenant()
    email = f"admin.{new_id()}@brand.example"
    await strict.container.operators.create(tenant, email, "admin", PASSWORD)
    login = {"tenant_id": tenant, "email": email, "password": PASSWORD}
    async with from_address(strict, new_address()) as guessing:
        for _ in range(5):
            await whoami(guessing, made_up())
    async with from_address(strict, new_address()) as office:
        signed = await office.post("/v1/auth/sessions", json=login)
        token = {"Authorization": f"Bearer {signed.json()['token']}"}

        assert await whoami(office, token) == 200
