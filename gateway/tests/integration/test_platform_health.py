"""`GET /v1/admin/platform/health`: each process's state and figures, for admins and auditors."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from gateway.tests.integration.support import (
    Gateway,
    SettingsFactory,
    new_tenant,
    running_gateway,
    unused_address,
)
from libs.ids import new_id
from libs.metrics.process import ProcessMetrics
from libs.metrics.server import MetricsServer
from libs.process_status import ProcessStatus, write_status

PATH = "/v1/admin/platform/health"
GET_MEMBER = "/v1/members/{member_id}"


@pytest.fixture
async def points_metrics() -> AsyncIterator[tuple[ProcessMetrics, str]]:
    """A points service's metrics port, serving figures the test sets."""
    figures = ProcessMetrics()
    server = MetricsServer("127.0.0.1", 0, figures.registry)
    running = asyncio.create_task(server.run())
    await server.started.wait()
    yield figures, f"http://127.0.0.1:{server.port}/metrics"
    server.stop()
    await running


async def operator(gateway: Gateway, tenant: str, role: str) -> dict[str, str]:
    issued = await gateway.container.keys.create_key(tenant, "operator", role=role)
    return {"Authorization": f"Bearer {issued.secret}"}


def by_process(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["process"]: row for row in answer["processes"]}


async def test_the_health_shows_each_services_outbox_consumers_and_the_tenants_reconciliation(
    make_settings: SettingsFactory, points_metrics: tuple[ProcessMetrics, str], tmp_path: Path
) -> None:
    figures, url = points_metrics
    tenant = new_tenant()
    figures.outbox_backlog.set((), 7)
    figures.outbox_oldest.set((), 2.5)
    figures.consumer_pending.set(("points-merges",), 12)
    figures.consumer_unacked.set(("points-merges",), 3)
    figures.consumer_redeliveries.inc(("points-merges",), 4)
    figures.record_reconciliation(tenant, 2, 1_800_000_000.0)
    figures.record_reconciliation(new_tenant(), 9, 1_800_000_100.0)
    status = tmp_path / "stack-status.json"
    write_status(status, {"points": ProcessStatus("running", 1, -9, 4242)})
    settings = make_settings(points_metrics_url=url, stack_status_file=status)

    async with running_gateway(settings) as gateway:
        answer = await gateway.client.get(PATH, headers=await operator(gateway, tenant, "auditor"))

    assert answer.status_code == 200, answer.text
    rows = by_process(answer.json())
    assert list(rows) == ["gateway", "mongo", "member", "points", "campaign"]
    assert {name: row["serving"] for name, row in rows.items()} == dict.fromkeys(rows, True)
    points = rows["points"]
    assert (points["figures_read"], points["restarts"]) == (True, 1)
    assert points["outbox"] == {"backlog": 7, "oldest_age_seconds": 2.5}
    assert points["consumers"] == [
        {"durable": "points-merges", "pending": 12, "ack_pending": 3, "redeliveries": 4}
    ]
    assert answer.json()["reconciliation"] == {
        "last_run_at": "2027-01-15T08:00:00+00:00",
        "drifting_members": 2,
    }
    assert (rows["member"]["figures_read"], rows["member"]["outbox"]) == (False, None)


async def test_the_calls_to_each_service_and_their_failures_are_counted_over_the_window(
    make_settings: SettingsFactory,
) -> None:
    settings = make_settings(member_addr=unused_address())
    async with running_gateway(settings) as gateway:
        headers = await gateway.legacy_key(new_tenant(), "app")
        for _ in range(3):
            await gateway.client.get(GET_MEMBER.format(member_id=new_id()), headers=headers)
        admin = await operator(gateway, new_tenant(), "admin")
        answer = await gateway.client.get(PATH, headers=admin)

    rows = by_process(answer.json())
    assert answer.json()["window_minutes"] == 5
    assert rows["member"]["serving"] is False
    assert rows["member"]["calls"] == {"calls": 3, "failed": 3, "error_rate": 1.0}
    assert rows["points"]["calls"] == {"calls": 0, "failed": 0, "error_rate": None}
    assert rows["gateway"]["calls"] is None


@pytest.mark.parametrize("role", ["marketer", "support", "analyst", "store_manager"])
async def test_only_admins_and_auditors_may_read_the_platforms_health(
    gateway: Gateway, role: str
) -> None:
    answer = await gateway.client.get(PATH, headers=await operator(gateway, new_tenant(), role))

    assert answer.status_code == 403
    assert answer.json()["code"] == "forbidden"
