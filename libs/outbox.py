"""The transactional outbox and its relay.

A state change and the events it causes are written in one MongoDB transaction: the
events as rows of the owning service's `outbox` collection. The relay publishes those
rows to JetStream with `Nats-Msg-Id` = event id, and marks each published only after
the stream acknowledged it. A crash between the ack and the mark re-publishes the row,
which the stream drops as a duplicate. Rows left behind by a crash, a NATS outage or
another replica are found by a periodic sweep, so every committed event leaves.

Marks may wait (`mark_seconds`): the relay remembers what it published and marks it with
one write for everything published in that time, rather than one write a batch (a write
outside a transaction is made durable on its own, which costs SecantusDB about as much
as a commit). Until then its own sweeps skip those rows; another replica, or this one
after a crash, may publish them again, which the stream drops as duplicates (its window
is minutes, the wait about a second). Stopping marks what is left.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nats.js import JetStreamContext
from opentelemetry.trace import SpanKind
from pymongo import ASCENDING

from libs import tracing
from libs.clock import utc_now
from libs.logging import get_logger
from libs.metrics.process import METRICS
from libs.mongo import Database, Doc, Session
from libs.nats import NatsConnector, event_subject

COLLECTION = "outbox"
KEEP_PUBLISHED_SECONDS = 7 * 24 * 3600

log = get_logger(__name__)


@dataclass(frozen=True)
class OutboxMessage:
    """An event ready to leave: its protobuf payload and where it goes."""

    event_id: str
    tenant_id: str
    event_type: str
    payload: bytes
    occurred_at: datetime

    @property
    def subject(self) -> str:
        return event_subject(self.tenant_id, self.event_type)

    def headers(self) -> dict[str, str]:
        return {
            "Nats-Msg-Id": self.event_id,
            "Loyalty-Event-Type": self.event_type,
            "Loyalty-Tenant": self.tenant_id,
            "Content-Type": "application/protobuf",
        }


async def ensure_outbox_indexes(db: Database) -> None:
    outbox = db[COLLECTION]
    await outbox.create_index([("published_at", ASCENDING), ("_id", ASCENDING)])
    await outbox.create_index(
        "published_at", expireAfterSeconds=KEEP_PUBLISHED_SECONDS, name="published_ttl"
    )


async def add_to_outbox(db: Database, session: Session, messages: Sequence[OutboxMessage]) -> None:
    """Write the rows inside the caller's transaction; they leave only if it commits."""
    if not messages:
        return
    rows: list[Doc] = [
        {
            "event_id": m.event_id,
            "tenant_id": m.tenant_id,
            "event_type": m.event_type,
            "subject": m.subject,
            "payload": m.payload,
            "occurred_at": m.occurred_at,
            "created_at": utc_now(),
            "published_at": None,
        }
        for m in messages
    ]
    if tracing.enabled():  # the publish and every consumer join the writer's trace
        context = tracing.inject()
        for row in rows:
            row["trace"] = context
    await db[COLLECTION].insert_many(rows, session=session, ordered=True)


class OutboxRelay:
    """Publishes unpublished outbox rows; a worker of the gRPC server bootstrap."""

    def __init__(
        self,
        db: Database,
        connector: NatsConnector,
        *,
        sweep_seconds: float = 1.0,
        batch_size: int = 200,
        publish_timeout: float = 2.0,
        mark_seconds: float = 0.0,
    ) -> None:
        self._db = db
        self._connector = connector
        self._sweep_seconds = sweep_seconds
        self._batch_size = batch_size
        self._publish_timeout = publish_timeout
        self._mark_seconds = mark_seconds
        # Published and not yet marked: each row's id, and when the oldest was published.
        self._unmarked: dict[Any, datetime] = {}
        self._wake = asyncio.Event()
        self._stopping = False
        # Attempts to publish what is pending, and those an outage deferred: what a caller
        # (a test, a status page) can watch instead of guessing with a sleep.
        self.sweeps = 0
        self.deferrals = 0
        # Rows sent to the stream, and writes that marked rows published.
        self.published = 0
        self.marks = 0

    def notify(self) -> None:
        """Something was committed: publish now rather than at the next sweep."""
        self._wake.set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        failing = False
        while not self._stopping:
            try:
                more, failing = await self.publish_pending(), False
            except Exception as exc:  # an outage of NATS or Mongo: rows wait for the next sweep
                log.warning("outbox_relay_deferred", error=repr(exc))
                more, failing = False, True
                self.deferrals += 1
            self.sweeps += 1
            if not more:
                await self._idle()
        if not failing:  # during an outage a last attempt would only delay the shutdown
            await self._drain_once()
            await self._mark_quietly(every_row=True)

    async def _idle(self) -> None:
        """Until notified or the next sweep is due, marking published rows as they come
        due meanwhile (without looking for new rows)."""
        self._wake.clear()
        sweep_at = time.monotonic() + self._sweep_seconds
        while not self._wake.is_set() and (left := sweep_at - time.monotonic()) > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=min(left, self._mark_due()))
            if not self._wake.is_set() and not await self._mark_quietly(every_row=False):
                # Marking failed: leave it to the next sweep rather than try again at once.
                with contextlib.suppress(TimeoutError):
                    left = max(0.0, sweep_at - time.monotonic())
                    await asyncio.wait_for(self._wake.wait(), timeout=left)
                return

    def _mark_due(self) -> float:
        """Seconds until the rows published so far are due to be marked."""
        if not self._unmarked:
            return float("inf")
        oldest = min(self._unmarked.values())
        return max(0.0, self._mark_seconds - (utc_now() - oldest).total_seconds())

    async def _drain_once(self) -> None:
        try:
            await self.publish_pending()
        except Exception as exc:
            log.warning("outbox_relay_left_rows", error=repr(exc))

    async def _mark_quietly(self, *, every_row: bool) -> bool:
        """The rows due (or `every_row`, at a stop); one left unmarked by a failure here is
        only published again, and dropped by the stream. False when marking failed."""
        try:
            await (self.mark_published() if every_row else self._mark_if_due())
        except Exception as exc:
            log.warning("outbox_relay_left_marks", error=repr(exc))
            return False
        return True

    async def publish_pending(self) -> bool:
        """Publish one batch; True when a full batch went, so more may be waiting."""
        await self._mark_if_due()
        unpublished: Doc = {"published_at": None}
        if self._unmarked:
            unpublished["_id"] = {"$nin": list(self._unmarked)}
        rows = await (
            self._db[COLLECTION]
            .find(unpublished)
            .sort("_id", ASCENDING)
            .limit(self._batch_size)
            .to_list()
        )
        if not rows:
            return False
        js = await self._connector.jetstream()
        acks = await asyncio.gather(
            *(self._publish(js, row) for row in rows), return_exceptions=True
        )
        sent = [
            row["_id"]
            for row, ack in zip(rows, acks, strict=True)
            if not isinstance(ack, BaseException)
        ]
        if sent:
            published_at = utc_now()
            self.published += len(sent)
            self._unmarked.update(dict.fromkeys(sent, published_at))
            await self._mark_if_due()
            _count_published(rows, acks, published_at)
        failures = [ack for ack in acks if isinstance(ack, BaseException)]
        if failures:
            raise failures[0]
        return len(rows) == self._batch_size

    async def _mark_if_due(self) -> None:
        if not self._unmarked:
            return
        oldest = min(self._unmarked.values())
        waited = (utc_now() - oldest).total_seconds()
        if waited >= self._mark_seconds or len(self._unmarked) >= self._batch_size:
            await self.mark_published()

    async def mark_published(self) -> None:
        """Mark every row published so far, with one write."""
        if not self._unmarked:
            return
        marked = dict(self._unmarked)
        await self._db[COLLECTION].update_many(
            {"_id": {"$in": list(marked)}}, {"$set": {"published_at": max(marked.values())}}
        )
        self.marks += 1
        for row_id in marked:
            self._unmarked.pop(row_id, None)

    async def _publish(self, js: JetStreamContext, row: Doc) -> object:
        headers = _headers(row)
        if not tracing.enabled():
            return await js.publish(
                row["subject"], row["payload"], timeout=self._publish_timeout, headers=headers
            )
        parent = tracing.extract(row.get("trace"))
        attributes = {"messaging.system": "nats", "messaging.destination.name": row["subject"]}
        name = f"publish {row['event_type']}"
        with tracing.span(name, SpanKind.PRODUCER, parent=parent, attributes=attributes):
            return await js.publish(
                row["subject"],
                row["payload"],
                timeout=self._publish_timeout,
                headers=tracing.inject(headers),
            )

    async def measure_backlog(self) -> None:
        """Set the backlog gauges: rows waiting, and how long the oldest has waited."""
        outbox = self._db[COLLECTION]
        waiting = await outbox.count_documents({"published_at": None})
        oldest = await outbox.find_one(
            {"published_at": None}, {"created_at": 1}, sort=[("_id", ASCENDING)]
        )
        METRICS.outbox_backlog.set(value=waiting)
        age = 0.0 if oldest is None else (utc_now() - oldest["created_at"]).total_seconds()
        METRICS.outbox_oldest.set(value=max(age, 0.0))


def _count_published(rows: Sequence[Doc], acks: Sequence[object], at: datetime) -> None:
    for row, ack in zip(rows, acks, strict=True):
        if isinstance(ack, BaseException):
            continue
        METRICS.outbox_published.inc()
        lag = (at - row["created_at"]).total_seconds() if row.get("created_at") else 0.0
        METRICS.outbox_lag.observe((), max(lag, 0.0))


def _headers(row: Doc) -> dict[str, str]:
    return OutboxMessage(
        event_id=row["event_id"],
        tenant_id=row["tenant_id"],
        event_type=row["event_type"],
        payload=b"",
        occurred_at=row["occurred_at"],
    ).headers()
