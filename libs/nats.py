"""NATS JetStream: one lazily (re)connecting connection per process, and the event stream.

Every event of the platform lives in one stream whose subjects carry the tenant
(`loyalty.<tenant>.<event type>`); the stream drops a message whose `Nats-Msg-Id` it has
seen within its duplicate window, which makes re-publishing by the outbox relay safe.
"""

from __future__ import annotations

import asyncio
import contextlib

from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from nats.js.api import RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from libs.logging import get_logger

STREAM_NAME = "LOYALTY"
STREAM_SUBJECTS = ["loyalty.>"]
DUPLICATE_WINDOW_SECONDS = 15 * 60
RETENTION_SECONDS = 30 * 24 * 3600

log = get_logger(__name__)


def event_subject(tenant_id: str, event_type: str) -> str:
    return f"loyalty.{tenant_id}.{event_type}"


def stream_config(replicas: int = 1) -> StreamConfig:
    return StreamConfig(
        name=STREAM_NAME,
        subjects=STREAM_SUBJECTS,
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        num_replicas=replicas,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        max_age=RETENTION_SECONDS,
    )


async def ensure_stream(js: JetStreamContext, replicas: int = 1) -> None:
    """Create the stream, or bring an existing one to the current configuration."""
    config = stream_config(replicas)
    try:
        await js.stream_info(STREAM_NAME)
    except NotFoundError:
        await js.add_stream(config)
    else:
        await js.update_stream(config)


def server_urls(url: str) -> list[str]:
    """The servers a `NATS_URL` names: one URL, or a comma-separated list of a cluster's
    nodes (the client tries them in turn, and reconnects to another when one dies)."""
    return [part.strip() for part in url.split(",") if part.strip()]


class NatsConnector:
    """Hands out a connected JetStream context, connecting on first use.

    A process starts even while NATS is down: the relay and consumers ask for the
    connection in their loops and simply try again later. A first connection attempt
    gives up after `connect_timeout` (nats-py alone would retry it forever, so a relay or
    consumer could not even be stopped); once connected, the client reconnects by itself
    for as long as it takes, and a client that closed anyway is replaced.
    """

    def __init__(
        self,
        url: str,
        name: str,
        *,
        connect_timeout: float = 2.0,
        stream_replicas: int = 1,
        credentials: tuple[str, str] | None = None,
    ) -> None:
        self._url = url
        # This process's own NATS user and password; None: what the URL carries, if any.
        self._credentials = credentials
        self._name = name
        self._connect_timeout = connect_timeout
        self._stream_replicas = stream_replicas
        self._client: NatsClient | None = None
        self._js: JetStreamContext | None = None
        self._lock = asyncio.Lock()

    async def jetstream(self) -> JetStreamContext:
        async with self._lock:
            if self._client is None or self._js is None or self._client.is_closed:
                self._client, self._js = await self._connect()
                log.info("nats_connected", url=self._url)
            return self._js

    async def _connect(self) -> tuple[NatsClient, JetStreamContext]:
        client = NatsClient()
        user, password = self._credentials or (None, None)
        try:
            # nats-py annotates these two as int, but takes (and documents) seconds.
            await asyncio.wait_for(
                client.connect(
                    server_urls(self._url),
                    name=self._name,
                    connect_timeout=self._connect_timeout,  # type: ignore[arg-type]
                    allow_reconnect=True,
                    max_reconnect_attempts=-1,
                    reconnect_time_wait=0.5,  # type: ignore[arg-type]
                    error_cb=self._on_error,
                    user=user,
                    password=password,
                ),
                timeout=self._connect_timeout,
            )
            js = client.jetstream(timeout=self._connect_timeout)
            await ensure_stream(js, self._stream_replicas)
        except BaseException:
            await client.close()
            raise
        return client, js

    @property
    def connected(self) -> bool:
        return self._client is not None and self._client.is_connected

    async def close(self) -> None:
        """Flush what is in flight when connected; stop reconnecting either way."""
        client, self._client, self._js = self._client, None, None
        if client is None or client.is_closed:
            return
        if client.is_connected:
            with contextlib.suppress(Exception):
                await client.drain()
        await client.close()

    async def _on_error(self, error: Exception) -> None:
        log.warning("nats_error", error=repr(error))
