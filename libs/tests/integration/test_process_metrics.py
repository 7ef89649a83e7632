"""Every service process's metrics move when the thing they measure happens: RPCs served
and made, MongoDB commands, the outbox's backlog and publishes, a consumer's lag and
redeliveries, and all of it scraped over the metrics port."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import httpx
import pytest
from cryptography import x509
from grpc import aio
from nats.aio.msg import Msg
from nats.js import JetStreamContext

from libs.grpc.client import make_channel
from libs.grpc.server import GrpcServer, ServerSpec
from libs.inbox import EventConsumer, Subscription
from libs.metrics.certificates import record_certificate_expiry
from libs.metrics.process import METRICS
from libs.metrics.server import MetricsServer
from libs.mongo import Database, MongoClient, Session, run_in_transaction
from libs.nats import NatsConnector
from libs.outbox import OutboxRelay, add_to_outbox, ensure_outbox_indexes
from libs.stack.certs import local_certificates
from libs.tests.integration.probe import SERVICE_NAME, call, probe_servicer
from libs.tests.integration.support import all_acked, an_event, random_name, running
from tests.support.polling import eventually
from tests.support.prometheus import parse, sample

FAIL = f"/{SERVICE_NAME}/Fail"
SEEN = f"/{SERVICE_NAME}/SeenRequestId"


@pytest.fixture
async def channel() -> AsyncIterator[aio.Channel]:
    server = GrpcServer(
        ServerSpec(name="probe", listen="127.0.0.1:0", servicers=[probe_servicer()])
    )
    await server.start()
    async with make_channel(f"127.0.0.1:{server.port}") as client_channel:
        yield client_channel
    await server.stop()


def counts(name: str, method: str, code: str) -> float:
    return sample(parse(METRICS.registry.render()), name, grpc_method=method, grpc_code=code)


async def test_an_rpc_is_counted_by_method_and_status_on_both_sides(channel: aio.Channel) -> None:
    before = {
        side: (counts(side, SEEN, "OK"), counts(side, FAIL, "NOT_FOUND"))
        for side in ("grpc_server_handled_total", "grpc_client_handled_total")
    }

    await call(channel, "SeenRequestId")
    with pytest.raises(aio.AioRpcError) as refused:
        await call(channel, "Fail", "not_found")

    assert refused.value.code() is grpc.StatusCode.NOT_FOUND
    for side, (ok, not_found) in before.items():
        assert counts(side, SEEN, "OK") == ok + 1
        assert counts(side, FAIL, "NOT_FOUND") == not_found + 1
    text = METRICS.registry.render()
    assert f'grpc_server_handling_seconds_count{{grpc_method="{SEEN}",grpc_code="OK"}}' in text


async def test_a_mongodb_command_is_timed_by_its_name(db: Database) -> None:
    def finds() -> float:
        samples = parse(METRICS.registry.render())
        return sample(
            samples, "mongodb_command_duration_seconds_count", command="find", outcome="ok"
        )

    before = finds()

    await db.things.find_one({"_id": "nothing"})

    assert finds() == before + 1


async def test_the_outbox_backlog_rises_with_commits_and_falls_once_published(
    mongo: MongoClient, db: Database, connector: NatsConnector, tenant: str
) -> None:
    await ensure_outbox_indexes(db)
    relay = OutboxRelay(db, connector, sweep_seconds=0.2, publish_timeout=1.0)
    published = METRICS.outbox_published.value()
    lags = METRICS.outbox_lag.count(())

    async def work(session: Session) -> None:
        await add_to_outbox(db, session, [an_event(tenant), an_event(tenant)])

    await run_in_transaction(mongo, work)
    await relay.measure_backlog()
    assert METRICS.outbox_backlog.value() == 2
    assert METRICS.outbox_oldest.value() > 0

    await relay.publish_pending()
    await relay.measure_backlog()

    assert METRICS.outbox_backlog.value() == 0
    assert METRICS.outbox_oldest.value() == 0
    assert METRICS.outbox_published.value() == published + 2
    assert METRICS.outbox_lag.count(()) == lags + 2


async def test_a_consumer_counts_its_redeliveries_and_reports_its_lag(
    connector: NatsConnector, observer: JetStreamContext, tenant: str
) -> None:
    durable = random_name()
    subscription = Subscription(durable=durable, filter_subject=f"loyalty.{tenant}.>")
    failed_once: list[str] = []

    async def handle(msg: Msg) -> None:
        if not failed_once:
            failed_once.append(msg.subject)
            raise ConnectionError("the database went away")

    consumer = EventConsumer(connector, subscription, handle, retry_seconds=0.1)
    for _ in range(3):
        event = an_event(tenant)
        await observer.publish(event.subject, event.payload, headers=event.headers())
    async with running(consumer):
        await eventually(lambda: all_acked(observer, durable))
        await consumer.measure()

    assert METRICS.consumer_redeliveries.value((durable,)) == 1
    assert METRICS.consumer_handled.value((durable, "retried")) == 1
    assert METRICS.consumer_handled.value((durable, "acked")) == 3
    assert METRICS.consumer_pending.value((durable,)) == 0
    assert METRICS.consumer_unacked.value((durable,)) == 0


async def test_the_metrics_port_answers_the_registry_after_running_its_collectors() -> None:
    collected: list[str] = []

    async def collect() -> None:
        collected.append("scraped")
        METRICS.outbox_backlog.set(value=7)

    server = MetricsServer("127.0.0.1", 0, METRICS.registry, [collect])
    async with running(server):
        await server.started.wait()
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as client:
            answer = await client.get("/metrics")
            missing = await client.get("/elsewhere")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert sample(parse(answer.text), "outbox_backlog_events") == 7
    assert collected == ["scraped"]
    assert missing.status_code == 404


async def test_the_certificate_expiry_is_that_of_the_certificate_the_process_loaded(
    tmp_path: Path,
) -> None:
    files = local_certificates(tmp_path, ["points"])["points"]
    expires = x509.load_pem_x509_certificate(files.cert.read_bytes()).not_valid_after_utc

    record_certificate_expiry(files.cert)

    assert METRICS.certificate_expiry.value() == expires.timestamp()
    assert expires.timestamp() > time.time()
