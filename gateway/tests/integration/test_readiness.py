from __future__ import annotations

from gateway.tests.integration.support import (
    Gateway,
    SettingsFactory,
    running_gateway,
    unused_address,
)


async def test_health_needs_no_key(gateway: Gateway) -> None:
    response = await gateway.client.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_ready_when_the_database_and_all_three_services_answer(gateway: Gateway) -> None:
    response = await gateway.client.get("/readyz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_not_ready_names_the_service_that_is_down(make_settings: SettingsFactory) -> None:
    async with running_gateway(make_settings(campaign_addr=unused_address())) as gateway:
        response = await gateway.client.get("/readyz")

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["down"] == ["campaign"]
    assert "campaign" in response.json()["detail"]
