"""A service's metrics port: `GET /metrics` in the Prometheus text format, nothing else.

A server worker beside the gRPC server. Before each answer it runs the collectors, the
figures read only when asked for (the outbox backlog, a consumer's pending count), each
bounded by a short timeout so a database or NATS outage cannot hold up a scrape.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence

from libs.logging import get_logger
from libs.metrics.registry import CONTENT_TYPE, Registry

Collector = Callable[[], Awaitable[None]]
COLLECT_TIMEOUT_SECONDS = 2.0

log = get_logger(__name__)


class MetricsServer:
    def __init__(
        self, host: str, port: int, registry: Registry, collectors: Sequence[Collector] = ()
    ) -> None:
        self._host = host
        self._requested_port = port
        self._registry = registry
        self._collectors = list(collectors)
        self._stopping = asyncio.Event()
        self.started = asyncio.Event()
        self.port = 0

    async def run(self) -> None:
        server = await asyncio.start_server(self._answer, self._host, self._requested_port)
        self.port = server.sockets[0].getsockname()[1]
        log.info("metrics_listening", port=self.port)
        self.started.set()
        async with server:
            await self._stopping.wait()

    def stop(self) -> None:
        self._stopping.set()

    async def render(self) -> str:
        for collect in self._collectors:
            try:
                await asyncio.wait_for(collect(), COLLECT_TIMEOUT_SECONDS)
            except Exception as exc:  # an outage: the last figures stay
                log.warning("metrics_collector_failed", error=repr(exc))
        return self._registry.render()

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5.0)
            method, path, *_ = request.split(b" ", 2)
            if method == b"GET" and path.split(b"?")[0] == b"/metrics":
                body, status = (await self.render()).encode(), b"200 OK"
                kind = CONTENT_TYPE.encode()
            else:
                body, status, kind = b"not found\n", b"404 Not Found", b"text/plain"
            writer.write(
                b"HTTP/1.1 "
                + status
                + b"\r\nContent-Type: "
                + kind
                + b"\r\nContent-Length: "
                + str(len(body)).encode()
                + b"\r\nConnection: close\r\n\r\n"
                + body
            )
            await writer.drain()
        except (OSError, ValueError, TimeoutError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
