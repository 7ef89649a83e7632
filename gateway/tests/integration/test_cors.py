from __future__ import annotations

from gateway.tests.integration.support import Gateway, new_tenant
from libs.ids import new_id


def new_origin() -> str:
    return f"https://{new_id()}.web.example"


def preflight(origin: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
    }


async def allow(gateway: Gateway, tenant: str, *origins: str) -> None:
    await gateway.container.policies.configure(tenant, cors_origins=list(origins))


async def test_a_preflight_from_an_allowed_origin_is_answered(gateway: Gateway) -> None:
    origin = new_origin()
    await allow(gateway, new_tenant(), origin)

    response = await gateway.client.options("/v1/members", headers=preflight(origin))

    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == origin
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed_headers = response.headers["access-control-allow-headers"].lower()
    assert {"authorization", "content-type", "idempotency-key"} <= {
        h.strip() for h in allowed_headers.split(",")
    }
    assert response.headers["vary"] == "Origin"


async def test_a_preflight_from_an_origin_nobody_allows_gets_403_and_no_cors_headers(
    gateway: Gateway,
) -> None:
    await allow(gateway, new_tenant(), new_origin())

    response = await gateway.client.options("/v1/members", headers=preflight(new_origin()))

    assert response.status_code == 403
    assert response.json()["code"] == "origin_not_allowed"
    assert not any(name.startswith("access-control-") for name in response.headers)


async def test_an_answer_to_an_allowed_origin_carries_cors_headers(gateway: Gateway) -> None:
    tenant, origin = new_tenant(), new_origin()
    await allow(gateway, tenant, origin)
    headers = {**await gateway.legacy_key(tenant, "miniprogram"), "Origin": origin}

    response = await gateway.client.get(f"/v1/members/{new_id()}", headers=headers)

    assert response.status_code == 404
    assert response.headers["access-control-allow-origin"] == origin
    assert "X-Request-ID" in response.headers["access-control-expose-headers"]
    assert "Origin" in response.headers["vary"]


async def test_an_origin_of_another_tenant_gets_no_cors_headers(gateway: Gateway) -> None:
    theirs = new_origin()
    await allow(gateway, new_tenant(), theirs)
    tenant = new_tenant()
    await allow(gateway, tenant, new_origin())
    headers = {**await gateway.legacy_key(tenant, "app"), "Origin": theirs}

    response = await gateway.client.get(f"/v1/members/{new_id()}", headers=headers)

    assert response.status_code == 404
    assert "access-control-allow-origin" not in response.headers


async def test_a_request_without_an_origin_gets_no_cors_headers(gateway: Gateway) -> None:
    response = await gateway.client.get("/healthz")

    assert not any(name.startswith("access-control-") for name in response.headers)


async def test_a_refused_key_from_an_allowed_origin_can_read_its_401(gateway: Gateway) -> None:
    origin = new_origin()
    await allow(gateway, new_tenant(), origin)

    response = await gateway.client.get(
        f"/v1/members/{new_id()}", headers={"Origin": origin, "Authorization": "Bearer nope"}
    )

    assert response.status_code == 401
    assert response.headers["access-control-allow-origin"] == origin
