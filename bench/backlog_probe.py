"""Reads the platform's backlog (bench/backlog.py says why): unpublished outbox rows and
unsettled budget holds in the databases, and the messages the stream's consumers have not
acknowledged yet."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field

from nats.js import JetStreamContext

from bench.backlog import DRAIN_LIMIT_SECONDS
from bench.dataset.loader import MEMBER_DB, POINTS_DB
from libs.mongo import Doc, MongoClient
from libs.nats import STREAM_NAME
from libs.outbox import COLLECTION as OUTBOX

CAMPAIGN_DB = "loyalty_campaign"
DRAIN_SLACK = 5
SAMPLE_SECONDS = 0.5
# Before a step, what an overloaded earlier step left is worked off for up to this long,
# so each step starts from a quiet platform.
SETTLE_LIMIT_SECONDS = 120.0


@dataclass(frozen=True)
class Source:
    """Documents that stand for work not done yet."""

    label: str
    database: str
    collection: str
    query: Doc


SOURCES: tuple[Source, ...] = (
    *(
        Source(f"outbox {db.removeprefix('loyalty_')}", db, OUTBOX, {"published_at": None})
        for db in (MEMBER_DB, POINTS_DB, CAMPAIGN_DB)
    ),
    Source("budget holds", CAMPAIGN_DB, "campaign_reservations", {"state": "reserved"}),
)


Probe = Callable[[], Awaitable[int]]


async def unacknowledged(js: JetStreamContext) -> int:
    """Messages the stream's durable consumers have not received or not acknowledged."""
    consumers = await js.consumers_info(STREAM_NAME)
    return sum((c.num_pending or 0) + (c.num_ack_pending or 0) for c in consumers)


@dataclass
class Backlog:
    client: MongoClient
    pending_messages: Probe | None = None
    sources: Sequence[Source] = SOURCES
    idle: int = 0
    # database operations the probe itself spent, so they are not charged to requests
    operations: int = 0
    last: dict[str, int] = field(default_factory=dict)

    async def size(self) -> int:
        found: dict[str, int] = {}
        for source in self.sources:
            collection = self.client[source.database][source.collection]
            found[source.label] = await collection.count_documents(source.query)
            self.operations += 1
        if self.pending_messages is not None:
            found["stream consumers"] = await self.pending_messages()
        self.last = found
        return sum(found.values())

    async def settle_idle(self) -> None:
        self.idle = await self.size()

    async def drain(self, limit: float = DRAIN_LIMIT_SECONDS) -> float | None:
        """Seconds until the backlog is back to about its idle size; None past `limit`."""
        start = time.perf_counter()
        while True:
            if await self.size() <= self.idle + DRAIN_SLACK:
                return time.perf_counter() - start
            if time.perf_counter() - start >= limit:
                return None
            await asyncio.sleep(SAMPLE_SECONDS / 2)


async def sample_until(backlog: Backlog, stop: asyncio.Event) -> list[int]:
    """The backlog's size every SAMPLE_SECONDS until `stop` is set."""
    samples: list[int] = []
    while not stop.is_set():
        samples.append(await backlog.size())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), SAMPLE_SECONDS)
    return samples


def labels(found: Mapping[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in found.items() if count)
