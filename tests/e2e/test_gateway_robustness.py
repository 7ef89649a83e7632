"""Idempotency, operator sign-in, metrics and CORS through the whole running platform."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import httpx
import pytest

from libs.stack.platform import Stack


def key(stack: Stack, tenant: str, channel: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {stack.credentials['tenants'][tenant][channel]}"}


def enrolment() -> dict[str, Any]:
    phone = f"+86136{uuid4().int % 10**8:08d}"
    return {"channel": "pos", "store_id": "S001", "identities": [{"type": "phone", "value": phone}]}


@pytest.fixture
async def http(platform_stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=10) as client:
        yield client


async def test_a_retried_enrolment_with_its_idempotency_key_is_answered_the_same_once(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    headers = {**key(platform_stack, "demo", "pos"), "Idempotency-Key": str(uuid4())}
    body = enrolment()

    first = await http.post("/v1/members", json=body, headers=headers)
    again = await http.post("/v1/members", json=body, headers=headers)
    other = await http.post("/v1/members", json=enrolment(), headers=headers)

    assert first.status_code == again.status_code == 201, first.text
    assert again.json() == first.json()
    assert again.json()["created"] is True
    assert again.headers["idempotency-replayed"] == "true"
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_conflict"


async def test_the_seeded_admin_signs_in_and_out(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    login = platform_stack.credentials["operators"][0]
    body = {k: login[k] for k in ("tenant_id", "email", "password")}

    session = await http.post("/v1/auth/sessions", json=body)
    bearer = {"Authorization": f"Bearer {session.json()['token']}"}
    keys = await http.get("/v1/admin/keys", headers=bearer)
    out = await http.delete("/v1/auth/sessions/current", headers=bearer)
    after = await http.get("/v1/admin/keys", headers=bearer)

    assert session.status_code == 201, session.text
    assert keys.status_code == 200
    assert {k["channel"] for k in keys.json()["keys"]} >= {"pos", "app", "operator"}
    assert (out.status_code, after.status_code) == (204, 401)


async def test_metrics_count_the_calls_to_the_services(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    await http.get(f"/v1/members/{uuid4()}", headers=key(platform_stack, "demo", "pos"))

    metrics = await http.get("/metrics")

    assert metrics.status_code == 200
    assert 'route="/v1/members/{member_id}",status="404"' in metrics.text
    assert 'gateway_grpc_client_calls_total{method="/loyalty.member.v1.MemberService/' in (
        metrics.text
    )


async def test_a_preflight_from_an_origin_no_tenant_allows_is_refused(
    http: httpx.AsyncClient,
) -> None:
    response = await http.options(
        "/v1/members",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )

    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers
