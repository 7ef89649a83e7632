"""Every service of the running platform serves its metrics on a port of its own, which
the launcher picked, and they move when a purchase goes through."""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import httpx
import pytest

from libs.stack.platform import Stack
from tests.e2e.gateway_support import an_order
from tests.support.polling import settled
from tests.support.prometheus import Sample, parse, sample

SERVICES = ("member", "points", "campaign")
ACCRUE = "/loyalty.points.v1.PointsService/AccrueOrder"


@pytest.fixture
async def http(platform_stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=platform_stack.gateway_url, timeout=10) as client:
        yield client


async def scrape(stack: Stack, service: str) -> dict[Sample, float]:
    env = stack.apps[service].env or {}
    async with httpx.AsyncClient(timeout=10) as client:
        answer = await client.get(f"http://127.0.0.1:{env['METRICS_PORT']}/metrics")
    assert answer.status_code == 200, answer.text
    return parse(answer.text)


async def test_a_purchase_moves_the_metrics_each_service_serves_on_its_own_port(
    platform_stack: Stack, http: httpx.AsyncClient
) -> None:
    headers = {"Authorization": f"Bearer {platform_stack.credentials['tenants']['demo']['pos']}"}
    ports = {(platform_stack.apps[s].env or {}).get("METRICS_PORT") for s in SERVICES}
    assert len(ports) == len(SERVICES)
    before = await scrape(platform_stack, "points")
    phone = f"+86135{uuid4().int % 10**8:08d}"
    body = {"store_id": "S001", "identities": [{"type": "phone", "value": phone}]}
    enrolled = await http.post("/v1/members", json=body, headers=headers)
    assert enrolled.status_code == 201, enrolled.text

    bought = await http.post(
        "/v1/orders", json=an_order(enrolled.json()["member_id"]), headers=headers
    )
    assert bought.status_code == 201, bought.text

    after = await scrape(platform_stack, "points")
    served = {"grpc_method": ACCRUE, "grpc_code": "OK"}
    assert sample(after, "grpc_server_handled_total", **served) == (
        sample(before, "grpc_server_handled_total", **served) + 1
    )
    assert sample(after, "loyalty_orders_total", tenant="demo") == (
        sample(before, "loyalty_orders_total", tenant="demo") + 1
    )
    published = await settled(
        lambda: scrape(platform_stack, "points"),
        lambda now: (
            sample(now, "outbox_published_events_total")
            > sample(before, "outbox_published_events_total")
        ),
    )
    assert sample(published, "outbox_backlog_events") >= 0
    for service in ("member", "campaign"):
        samples = await scrape(platform_stack, service)
        assert any(name == "event_consumer_pending_messages" for name, _ in samples), service
