"""The consumer side of effectively-once delivery.

A consumer records the id of each event it handled in its own database, in the same
transaction as the effect. A redelivered event finds its id already there and changes
nothing. `EventConsumer` pulls from a durable JetStream consumer and acks a message
only after the handler's transaction committed.

A handler that also has `batch` (a `BatchHandler`) is given every message a fetch
brought (up to 100) at once, and commits their effects with their inbox rows
(`claim_events`) in one transaction; the messages are acked after that commit. When a
batch fails, its messages are handled one by one, so one bad event neither blocks nor
loses the others: it alone is redelivered. A crash after the commit and before the acks
redelivers the batch, whose claims then make it change nothing.

A consumer whose work can wait a moment (a read model, webhook records) gathers a fetch's
messages for up to `linger_seconds` before handling them: a transaction per quarter of a
second rather than per event when events arrive one by one.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from google.protobuf.message import DecodeError
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.client import JetStreamContext
from opentelemetry.trace import Span, SpanKind

from libs import tracing
from libs.clock import utc_now
from libs.logging import bind_request, get_logger
from libs.metrics.process import METRICS
from libs.mongo import Database, Session
from libs.nats import RETENTION_SECONDS, STREAM_NAME, NatsConnector, event_subject
from libs.workers import WorkerLoop

PullSubscription = JetStreamContext.PullSubscription
COLLECTION = "inbox"


async def ensure_inbox_indexes(db: Database) -> None:
    """Forget handled events once the stream itself can no longer redeliver them."""
    await db[COLLECTION].create_index("at", expireAfterSeconds=RETENTION_SECONDS, name="at_ttl")


log = get_logger(__name__)


async def was_claimed(
    db: Database, consumer: str, event_id: str, session: Session | None = None
) -> bool:
    """Whether `consumer` handled `event_id` already: a cheap look before work that is not
    itself in the claim's transaction (a call to another service), which a redelivered
    event must not repeat."""
    found = await db[COLLECTION].find_one({"_id": f"{consumer}:{event_id}"}, session=session)
    return found is not None


async def has_claims(db: Database, consumer: str) -> bool:
    """Whether `consumer` has any claim the stream could still redeliver the event of."""
    return await db[COLLECTION].find_one({"consumer": consumer}, {"_id": 1}) is not None


async def claim_event(db: Database, session: Session, consumer: str, event_id: str) -> bool:
    """Record that `consumer` handles `event_id` in this transaction.

    False when it was handled before: the caller then does nothing. Two deliveries racing
    both see no record; the second insert conflicts, its transaction is retried and then
    finds the first one's record.
    """
    key = f"{consumer}:{event_id}"
    if await db[COLLECTION].find_one({"_id": key}, session=session) is not None:
        return False
    await db[COLLECTION].insert_one(
        {"_id": key, "consumer": consumer, "event_id": event_id, "at": utc_now()},
        session=session,
    )
    return True


async def claim_events(
    db: Database,
    session: Session,
    consumer: str,
    event_ids: Sequence[str],
    *,
    recorded_elsewhere: Collection[str] = (),
) -> set[str]:
    """Record that `consumer` handles these events in this transaction: the ids not
    handled before, which the caller then applies (one read and one write for a batch).
    The ids in `recorded_elsewhere` are looked up but given no row: the document their
    effect writes (under a key unique to the event) records them, and tells the caller
    whether they were handled before."""
    keys = {f"{consumer}:{event_id}": event_id for event_id in event_ids}
    if not keys:
        return set()
    seen = db[COLLECTION].find({"_id": {"$in": list(keys)}}, {"_id": 1}, session=session)
    handled = {doc["_id"] async for doc in seen}
    fresh = [key for key in keys if key not in handled]
    rows = [key for key in fresh if keys[key] not in recorded_elsewhere]
    if rows:
        at = utc_now()
        docs = [{"_id": k, "consumer": consumer, "event_id": keys[k], "at": at} for k in rows]
        await db[COLLECTION].insert_many(docs, session=session)
    return {keys[key] for key in fresh}


def stream_of(msg: Msg) -> str:
    """The stream a JetStream delivery came from; "" for a core NATS message."""
    try:
        return msg.metadata.stream
    except Exception:  # no JetStream ack subject to read it from
        return ""


def origin_refusal(
    *, stream: str, subject: str, tenant_id: str, event_id: str, kind: str, expected: str
) -> str | None:
    """Why a message is not an `expected` event delivered from the platform's stream on
    its own tenant's subject (so published by the one service allowed to publish it);
    None when it is.

    A tenant's subject carrying another tenant's event would act on that tenant on the
    word of whoever may publish on this one.
    """
    if stream != STREAM_NAME:
        return "not_from_the_event_stream"
    if kind != expected:
        return "not_" + expected.replace(".", "_")
    if not (tenant_id and event_id):
        return "no_event_id"
    if subject != event_subject(tenant_id, expected):
        return "tenant_mismatch"
    return None


@dataclass(frozen=True)
class Subscription:
    durable: str
    # e.g. "loyalty.*.member.enrolled"
    filter_subject: str
    max_deliver: int = 20
    ack_wait_seconds: float = 30.0


Handler = Callable[[Msg], Awaitable[None]]


class BatchHandler(Protocol):
    async def __call__(self, msg: Msg) -> None:
        """One message, in its own transaction."""
        ...

    async def batch(self, messages: Sequence[Msg]) -> None:
        """Every message's effect and inbox row in one transaction."""
        ...


class EventConsumer(WorkerLoop):
    """Pulls a durable consumer and hands each message to `handler`; a server worker."""

    def __init__(
        self,
        connector: NatsConnector,
        subscription: Subscription,
        handler: Handler | BatchHandler,
        *,
        batch: int = 100,
        retry_seconds: float = 1.0,
        linger_seconds: float = 0.0,
    ) -> None:
        super().__init__()
        self._connector = connector
        self._subscription = subscription
        self._handler = handler
        self._batch = batch
        self._retry_seconds = retry_seconds
        # Well within the ack wait: a message must not come again while it is gathered.
        self._linger = min(linger_seconds, subscription.ack_wait_seconds / 4)

    async def run(self) -> None:
        # NATS away: try again shortly
        await self.keep_running(
            self._consume,
            self._retry_seconds,
            "consumer_waiting",
            durable=self._subscription.durable,
        )

    async def _consume(self) -> None:
        js = await self._connector.jetstream()
        sub = self._subscription
        psub = await js.pull_subscribe(
            sub.filter_subject,
            durable=sub.durable,
            stream=STREAM_NAME,
            config=ConsumerConfig(
                durable_name=sub.durable,
                ack_policy=AckPolicy.EXPLICIT,
                deliver_policy=DeliverPolicy.ALL,
                max_deliver=sub.max_deliver,
                ack_wait=sub.ack_wait_seconds,
                filter_subject=sub.filter_subject,
            ),
        )
        try:
            while not self.stopping:
                try:
                    messages = await psub.fetch(self._batch, timeout=1.0)
                except NatsTimeoutError:
                    continue
                await self._handle_all(await self._gathered(psub, messages))
        finally:
            # A subscription left open would also hold up the connection's drain at exit.
            with contextlib.suppress(Exception):
                await psub.unsubscribe()

    async def _gathered(self, psub: PullSubscription, messages: list[Msg]) -> list[Msg]:
        """The fetch's messages and those arriving within the linger, up to a batch."""
        until = time.monotonic() + self._linger
        while len(messages) < self._batch and (left := until - time.monotonic()) > 0.05:
            try:
                messages += await psub.fetch(self._batch - len(messages), timeout=left)
            except (NatsTimeoutError, TimeoutError):  # the client raises either
                break
        return messages

    async def measure(self) -> None:
        """Set this durable's lag gauges from the stream's view of it."""
        js = await self._connector.jetstream()
        durable = self._subscription.durable
        info = await js.consumer_info(STREAM_NAME, durable)
        METRICS.consumer_pending.set((durable,), info.num_pending or 0)
        METRICS.consumer_unacked.set((durable,), info.num_ack_pending or 0)

    def _count(self, outcome: str, amount: int = 1) -> None:
        METRICS.consumer_handled.inc((self._subscription.durable, outcome), amount)

    async def _handle_all(self, messages: Sequence[Msg]) -> None:
        durable = (self._subscription.durable,)
        for msg in messages:
            if _deliveries(msg) > 1:
                METRICS.consumer_redeliveries.inc(durable)
        batch = getattr(self._handler, "batch", None)
        if batch is not None and len(messages) > 1:
            spans = self._spans(messages)
            try:
                await batch(messages)
            except Exception as exc:
                log.warning(
                    "event_batch_failed",
                    durable=self._subscription.durable,
                    size=len(messages),
                    error=repr(exc),
                )
                _end(spans, failed=repr(exc))
            else:
                _end(spans)
                for msg in messages:
                    await msg.ack()
                self._count("acked", len(messages))
                return
        for msg in messages:  # one by one: only a failing event is redelivered
            await self._handle(msg)

    def _spans(self, messages: Sequence[Msg]) -> list[Span]:
        """One span per message of a batch, each in the trace its event came from."""
        if not tracing.enabled():
            return []
        return [
            tracing.tracer().start_span(
                self._span_name,
                context=tracing.extract(msg.headers),
                kind=SpanKind.CONSUMER,
                attributes=self._span_attributes(msg),
            )
            for msg in messages
        ]

    @property
    def _span_name(self) -> str:
        return f"consume {self._subscription.durable}"

    def _span_attributes(self, msg: Msg) -> dict[str, str]:
        return {
            "messaging.system": "nats",
            "messaging.destination.name": msg.subject,
            "messaging.consumer.group.name": self._subscription.durable,
        }

    async def _handle(self, msg: Msg) -> None:
        on = tracing.enabled()
        parent = tracing.extract(msg.headers) if on else None
        attributes = self._span_attributes(msg) if on else None
        with tracing.span(
            self._span_name, SpanKind.CONSUMER, parent=parent, attributes=attributes
        ) as span:
            outcome = await self._handle_one(msg)
            self._count(outcome)
            if outcome != "acked":
                tracing.fail(span, outcome)

    async def _handle_one(self, msg: Msg) -> str:
        event_id = (msg.headers or {}).get("Nats-Msg-Id", "")
        with bind_request(event_id or None, subject=msg.subject):
            try:
                await self._handler(msg)
            except DecodeError as exc:
                # No redelivery can make it readable: stop it here, once, rather than
                # retrying it max_deliver times.
                log.error("event_undecodable", event_id=event_id, error=str(exc))
                await msg.term()
                return "terminated"
            except Exception:
                log.exception("event_handling_failed", event_id=event_id)
                await msg.nak(delay=self._retry_seconds)
                return "retried"
            await msg.ack()
            return "acked"


def _end(spans: Sequence[Span], failed: str = "") -> None:
    for span in spans:
        if failed:
            tracing.fail(span, failed)
        span.end()


def _deliveries(msg: Msg) -> int:
    """How many times the stream has delivered this message (1 the first time)."""
    try:
        return int(msg.metadata.num_delivered or 1)
    except Exception:  # a core NATS message carries no delivery count
        return 1
