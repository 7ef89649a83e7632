"""A points service killed between commit and publish publishes the event once, after restart."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import nats
import pytest
from grpc import aio

from libs.mongo import make_client
from libs.nats import ensure_stream
from libs.outbox import COLLECTION
from libs.stack.handle import ServerHandle
from libs.tests.integration.support import ids_of, messages_on
from loyalty.points.v1 import points_pb2 as pb
from loyalty.points.v1.points_pb2_grpc import PointsServiceStub
from services.points.tests.integration.processes import service_process
from services.points.tests.integration.support import an_order
from tests.support.polling import eventually


@pytest.fixture
def points_process(
    mongo_url: str, nats_url: str, redis_url: str, campaign_addr: str, tmp_path: Path
) -> Iterator[ServerHandle]:
    """The points service as its own process, not started yet; stopped after the test."""
    urls = {"mongo": mongo_url, "nats": nats_url, "redis": redis_url}
    settings = {
        "MONGO_DB": f"points_{uuid4().hex[:8]}",
        "CAMPAIGN_ADDR": campaign_addr,
        "OUTBOX_SWEEP_SECONDS": "0.2",
    }
    with (tmp_path / "points.log").open("w", encoding="utf-8") as sink:
        handle = service_process("points", urls=urls, settings=settings, sink=sink)
        try:
            yield handle
        finally:
            handle.stop()


async def _accrue_while_nats_is_down(
    points: ServerHandle, nats_server: ServerHandle, tenant: str
) -> None:
    async with aio.insecure_channel(points.url) as channel:
        stub = PointsServiceStub(channel)
        rule = pb.EarningRule(currency="CNY", points_per_unit="1")
        await stub.PutEarningRule(pb.PutEarningRuleRequest(tenant_id=tenant, rule=rule))
        await asyncio.to_thread(nats_server.stop)
        await stub.AccrueOrder(an_order(tenant, "O-1"))


async def test_a_service_killed_between_commit_and_publish_publishes_once_after_restart(
    points_process: ServerHandle,
    nats_server: ServerHandle,
    mongo_url: str,
    nats_url: str,
    tenant: str,
) -> None:
    points = points_process
    await asyncio.to_thread(points.start)
    await _accrue_while_nats_is_down(points, nats_server, tenant)
    mongo = make_client(mongo_url, app_name="points-crash-test")
    try:
        outbox = mongo[(points.env or {})["MONGO_DB"]][COLLECTION]
        [row] = await outbox.find({"tenant_id": tenant}).to_list()
    finally:
        await mongo.close()
    assert row["published_at"] is None  # committed, not published

    assert points.pid is not None
    os.kill(points.pid, signal.SIGKILL)
    assert await asyncio.to_thread(points.stop) == -signal.SIGKILL
    await asyncio.to_thread(nats_server.start)
    await asyncio.to_thread(points.start)

    observer = await nats.connect(nats_url)
    try:
        js = observer.jetstream(timeout=5.0)
        await ensure_stream(js)
        subject = f"loyalty.{tenant}.points.earned"

        async def published() -> bool:
            return len(await messages_on(js, subject)) >= 1

        await eventually(published, within=15)
        await asyncio.sleep(1.0)  # several sweeps later, still once
        assert ids_of(await messages_on(js, subject)) == [row["event_id"]]
    finally:
        await observer.close()
