"""What every service's composition root assembles: clients, relay, server.

A service hands `run_service` a builder that, given the opened `Runtime`, returns the
servicers to mount and any extra workers (consumers, jobs). The runtime adds the outbox
relay, creates the shared indexes, and closes everything on the way out.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import uvloop

from libs.grpc.server import ServerSpec, Servicer, Worker, serve
from libs.logging import configure_logging, get_logger
from libs.mongo import Database, MongoClient, make_client, ping
from libs.nats import NatsConnector
from libs.outbox import OutboxRelay, ensure_outbox_indexes
from libs.settings import ServiceSettings

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


Builder = Callable[[Runtime], Awaitable[Assembly]]


async def open_runtime(name: str, settings: ServiceSettings) -> Runtime:
    mongo = make_client(settings.mongo_url, app_name=name, timeout_ms=settings.mongo_timeout_ms)
    await ping(mongo)
    db = mongo[settings.mongo_db]
    await ensure_outbox_indexes(db)
    connector = NatsConnector(settings.nats_url, name)
    relay = OutboxRelay(db, connector, sweep_seconds=settings.outbox_sweep_seconds)
    return Runtime(name, settings, mongo, db, connector, relay)


async def serve_service(name: str, settings: ServiceSettings, build: Builder) -> None:
    runtime = await open_runtime(name, settings)
    assembly = await build(runtime)

    async def close_clients() -> None:
        await runtime.nats.close()
        await runtime.mongo.close()

    await serve(
        ServerSpec(
            name=name,
            listen=settings.grpc_listen,
            servicers=assembly.servicers,
            workers=[runtime.relay, *assembly.workers],
            cleanups=[*assembly.cleanups, close_clients],
            grace_seconds=settings.shutdown_grace_seconds,
        )
    )


def run_service(name: str, settings: ServiceSettings, build: Builder) -> None:
    """The body of `python -m services.<name>`."""
    configure_logging(name, settings.log_level, settings.log_format)
    log.info("service_starting", listen=settings.grpc_listen, mongo_db=settings.mongo_db)
    uvloop.run(serve_service(name, settings, build))
