"""Bootstrap for every gRPC service: health, reflection, error mapping, graceful stop.

On SIGTERM or SIGINT: health turns NOT_SERVING (so load balancers stop sending), the
server stops taking calls and lets in-flight ones finish within the grace period, the
background workers (outbox relay, consumers, jobs) finish what they hold, and the
clients close.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from grpc import aio
from grpc_health.v1 import _async as health_aio
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from libs import task_census
from libs.grpc.errors import ErrorInterceptor
from libs.grpc.metrics import CallTiming, ServerMetricsInterceptor
from libs.grpc.tls import TlsFiles, server_credentials
from libs.grpc.tracing import ServerTracingInterceptor
from libs.logging import get_logger
from libs.metrics.process import METRICS

log = get_logger(__name__)


class Worker(Protocol):
    """A background loop that runs beside the server until asked to stop."""

    async def run(self) -> None: ...

    def stop(self) -> None: ...


@dataclass(frozen=True)
class Servicer:
    """One gRPC service to mount: the generated add function, the implementation, its name."""

    add_to_server: Callable[[Any, aio.Server], None]
    implementation: object
    full_name: str


@dataclass
class ServerSpec:
    name: str
    listen: str
    servicers: Sequence[Servicer]
    workers: Sequence[Worker] = ()
    cleanups: Sequence[Callable[[], Awaitable[None]]] = ()
    grace_seconds: float = 10.0
    started: asyncio.Event = field(default_factory=asyncio.Event)
    # Mutual TLS: a caller must show a certificate the CA signed. None: plaintext.
    tls: TlsFiles | None = None
    # A plaintext port that answers grpc.health.v1 only, for probes that cannot show a
    # certificate (Kubernetes' native gRPC probes). None: no such port.
    health_listen: str | None = None


class GrpcServer:
    """A started server; `stop()` runs the shutdown sequence once."""

    def __init__(self, spec: ServerSpec) -> None:
        self.spec = spec
        self._server = aio.server(
            interceptors=[
                ServerMetricsInterceptor(
                    CallTiming(METRICS.grpc_server_handled, METRICS.grpc_server_seconds)
                ),
                ServerTracingInterceptor(),
                ErrorInterceptor(),
            ],
            # Clients reconnect now and then, so calls spread over replicas added later; a
            # call in flight when its connection ages out may finish within the longest
            # deadline a caller gives (a bulk slice's 60 s), never cut off as unavailable.
            options=[
                ("grpc.max_connection_age_ms", 60_000),
                ("grpc.max_connection_age_grace_ms", 60_000),
            ],
        )
        self._health = health_aio.HealthServicer()
        self._health_server: aio.Server | None = None
        self._worker_tasks: list[asyncio.Task[None]] = []
        self._stopped = asyncio.Event()
        self._finished = asyncio.Event()
        self.port = 0
        self.health_port = 0

    async def start(self) -> None:
        for servicer in self.spec.servicers:
            servicer.add_to_server(servicer.implementation, self._server)
        health_pb2_grpc.add_HealthServicer_to_server(self._health, self._server)
        names = [s.full_name for s in self.spec.servicers]
        reflection.enable_server_reflection(
            [
                *names,
                health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
                reflection.SERVICE_NAME,
            ],
            self._server,
        )
        if self.spec.tls is None:
            self.port = self._server.add_insecure_port(self.spec.listen)
        else:
            credentials = server_credentials(self.spec.tls)
            self.port = self._server.add_secure_port(self.spec.listen, credentials)
        if self.spec.health_listen is not None:
            self._health_server = aio.server()
            health_pb2_grpc.add_HealthServicer_to_server(self._health, self._health_server)
            self.health_port = self._health_server.add_insecure_port(self.spec.health_listen)
            await self._health_server.start()
        await self._server.start()
        for worker in self.spec.workers:
            self._worker_tasks.append(asyncio.create_task(worker.run()))
        for name in ["", *names]:
            await self._health.set(name, health_pb2.HealthCheckResponse.SERVING)
        log.info(
            "grpc_server_started",
            listen=self.spec.listen,
            port=self.port,
            tls=self.spec.tls is not None,
            health_port=self.health_port or None,
        )
        self.spec.started.set()

    async def stop(self) -> None:
        if self._stopped.is_set():
            return
        self._stopped.set()
        log.info("grpc_server_stopping")
        await self._health.enter_graceful_shutdown()
        await self._server.stop(self.spec.grace_seconds)
        if self._health_server is not None:
            await self._health_server.stop(None)
        for worker in self.spec.workers:
            worker.stop()
        if self._worker_tasks:
            _, pending = await asyncio.wait(self._worker_tasks, timeout=self.spec.grace_seconds)
            for task in pending:
                task.cancel()
        for cleanup in self.spec.cleanups:
            with contextlib.suppress(Exception):
                await cleanup()
        log.info("grpc_server_stopped")
        self._finished.set()

    async def wait(self) -> None:
        """Until the shutdown sequence has run; a worker that dies takes the process down."""
        finished = asyncio.create_task(self._finished.wait())
        pending: set[asyncio.Task[Any]] = {finished, *self._worker_tasks}
        while not finished.done():
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            failed = [t for t in done if t is not finished and not t.cancelled() and t.exception()]
            if failed and not self._stopped.is_set():
                log.error("worker_failed", error=repr(failed[0].exception()))
                await self.stop()
                raise SystemExit(1)


async def serve_until_signalled(server: GrpcServer) -> None:
    """Wait until SIGTERM/SIGINT has run the server's shutdown sequence."""
    loop = asyncio.get_running_loop()
    stopping: list[asyncio.Task[None]] = []  # held, so the loop cannot drop the task midway
    task_census.install()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stopping.append(asyncio.create_task(server.stop())))
    await server.wait()


async def serve(spec: ServerSpec) -> None:
    """Start a server for `spec` and run it until SIGTERM/SIGINT."""
    server = GrpcServer(spec)
    await server.start()
    await serve_until_signalled(server)
