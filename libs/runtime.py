"""What every service's composition root assembles: clients, relay, server.

A service hands `run_service` a builder that, given the opened `Runtime`, returns the
servicers to mount and any extra workers (consumers, jobs). The runtime adds the outbox
relay, creates the shared indexes, and closes everything on the way out.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import uvloop

from libs.grpc.server import GrpcServer, ServerSpec, Servicer, Worker, serve_until_signalled
from libs.inbox import ensure_inbox_indexes
from libs.logging import configure_logging, get_logger
from libs.metrics.certificates import record_certificate_expiry
from libs.metrics.process import METRICS
from libs.metrics.server import Collector, MetricsServer
from libs.mongo import Database, MongoClient, make_client, ping
from libs.nats import NatsConnector
from libs.outbox import OutboxRelay, ensure_outbox_indexes
from libs.settings import ServiceSettings
from libs.tracing import configure_tracing

log = get_logger(__name__)


@dataclass
class Runtime:
    name: str
    settings: ServiceSettings
    mongo: MongoClient
    db: Database
    nats: NatsConnector
    relay: OutboxRelay


@dataclass
class Assembly:
    servicers: Sequence[Servicer]
    workers: Sequence[Worker] = ()
    cleanups: Sequence[Callable[[], Awaitable[None]]] = field(default_factory=list)
    # Figures read when the metrics port is scraped (beyond the outbox's and consumers').
    collectors: Sequence[Collector] = ()


def combined(*parts: Assembly) -> Assembly:
    """One assembly of several parts of a service (bounded contexts wired apart)."""
    return Assembly(
        servicers=[s for part in parts for s in part.servicers],
        workers=[w for part in parts for w in part.workers],
        cleanups=[c for part in parts for c in part.cleanups],
        collectors=[c for part in parts for c in part.collectors],
    )


Builder = Callable[[Runtime], Awaitable[Assembly]]


async def open_runtime(name: str, settings: ServiceSettings) -> Runtime:
    mongo = make_client(settings.mongo_url, app_name=name, timeout_ms=settings.mongo_timeout_ms)
    await ping(mongo)
    db = mongo[settings.mongo_db]
    await ensure_outbox_indexes(db)
    await ensure_inbox_indexes(db)
    connector = NatsConnector(
        settings.nats_url,
        name,
        stream_replicas=settings.nats_stream_replicas,
        credentials=settings.nats_credentials,
    )
    relay = OutboxRelay(
        db,
        connector,
        sweep_seconds=settings.outbox_sweep_seconds,
        mark_seconds=settings.outbox_mark_seconds,
    )
    return Runtime(name, settings, mongo, db, connector, relay)


@asynccontextmanager
async def started_service(
    name: str, settings: ServiceSettings, build: Builder, *, listen: str | None = None
) -> AsyncIterator[GrpcServer]:
    """The service assembled and serving (on `listen`, default its settings' address).

    Leaving the block runs the shutdown sequence; tests use it to run a service in-process.
    """
    runtime = await open_runtime(name, settings)
    assembly = await build(runtime)

    async def close_clients() -> None:
        await runtime.nats.close()
        await runtime.mongo.close()

    if (tls := settings.grpc_tls) is not None:
        record_certificate_expiry(tls.cert)
    workers: list[Worker] = [runtime.relay, *assembly.workers]
    if settings.metrics_port is not None:
        workers.append(_metrics_server(settings, runtime, assembly))
    server = GrpcServer(
        ServerSpec(
            name=name,
            listen=listen or settings.grpc_listen,
            servicers=assembly.servicers,
            workers=workers,
            cleanups=[*assembly.cleanups, close_clients],
            grace_seconds=settings.shutdown_grace_seconds,
            tls=settings.grpc_tls,
            health_listen=settings.grpc_health_listen,
        )
    )
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def _metrics_server(settings: ServiceSettings, runtime: Runtime, assembly: Assembly) -> Worker:
    """`GET /metrics` on its own port: the backlog of the outbox and the lag of every
    consumer are read at each scrape, with whatever else the service collects."""
    measures = [getattr(worker, "measure", None) for worker in assembly.workers]
    collectors: list[Collector] = [
        runtime.relay.measure_backlog,
        *(measure for measure in measures if callable(measure)),
        *assembly.collectors,
    ]

    port = settings.metrics_port or 0
    return MetricsServer(settings.grpc_host, port, METRICS.registry, collectors)


async def serve_service(name: str, settings: ServiceSettings, build: Builder) -> None:
    async with started_service(name, settings, build) as server:
        await serve_until_signalled(server)


def run_service(name: str, settings: ServiceSettings, build: Builder) -> None:
    """The body of `python -m services.<name>`."""
    configure_logging(name, settings.log_level, settings.log_format)
    flush_spans = configure_tracing(name, settings.otel_exporter_otlp_endpoint)
    log.info("service_starting", listen=settings.grpc_listen, mongo_db=settings.mongo_db)
    try:
        uvloop.run(serve_service(name, settings, build))
    finally:
        flush_spans()
