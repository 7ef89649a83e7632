from __future__ import annotations

import asyncio
from pathlib import Path

from gateway.tests.integration.support import (
    Gateway,
    SettingsFactory,
    new_tenant,
    running_gateway,
    unused_address,
)
from libs.process_status import ProcessStatus, write_status
from libs.stack.servers import free_port, mongo_server


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


async def test_under_the_launcher_readiness_and_metrics_show_each_process_and_its_restarts(
    make_settings: SettingsFactory, tmp_path: Path
) -> None:
    status = tmp_path / "stack-status.json"
    write_status(
        status,
        {"mongo": ProcessStatus("running", 2, -9, 4242), "nats": ProcessStatus("restarting", 1)},
    )
    async with running_gateway(make_settings(stack_status_file=status)) as gateway:
        ready = await gateway.client.get("/readyz")
        metrics = (await gateway.client.get("/metrics")).text

    assert ready.status_code == 200
    assert ready.json()["processes"] == {
        "mongo": {"state": "running", "restarts": 2},
        "nats": {"state": "restarting", "restarts": 1},
    }
    assert 'stack_process_restarts_total{process="mongo"} 2' in metrics
    assert 'stack_process_up{process="nats"} 0' in metrics
    assert 'stack_process_up{process="mongo"} 1' in metrics


async def test_while_its_database_is_down_the_gateway_answers_503_with_retry_after(
    make_settings: SettingsFactory, tmp_path: Path
) -> None:
    mongo = mongo_server(tmp_path / "mongo", free_port(), sink=None, timeout=30)
    mongo.start()
    try:
        settings = make_settings(mongo_url=mongo.url, key_cache_seconds=0, mongo_timeout_ms=300)
        async with running_gateway(settings) as gateway:
            headers = await gateway.key(new_tenant())
            await asyncio.to_thread(mongo.kill)
            answer = await gateway.client.get("/v1/members/m0none", headers=headers)
            alive = await gateway.client.get("/healthz")
    finally:
        mongo.stop()

    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "1"
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "service_unavailable"
    assert alive.status_code == 200
