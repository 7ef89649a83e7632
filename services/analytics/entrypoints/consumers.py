"""One durable consumer of every event the read model follows, in stream order (so a
merge's member.merged comes before the points.merged that follows it), in batches."""

from __future__ import annotations

from collections.abc import Sequence

from nats.aio.msg import Msg

from libs.inbox import EventConsumer, Subscription, origin_refusal, stream_of
from libs.logging import get_logger
from libs.nats import NatsConnector
from services.analytics.domain.ports import LoggedEvent, TimeZones, UnitOfWork
from services.analytics.entrypoints.events import event_type, follows, parse_logged
from services.analytics.handlers.ingest import CONSUMER, Parsed, ingest

EVENTS = Subscription(durable=CONSUMER, filter_subject="loyalty.>")
# Reports are read by people: a quarter of a second later costs nothing and gathers the
# events of many purchases into one transaction.
LINGER_SECONDS = 0.25
log = get_logger(__name__)


def logged_event(msg: Msg) -> Parsed | None:
    """The message as the log keeps it, with its facts; None for an event the read model
    does not follow or one that did not come from its own tenant's subject."""
    if not follows(msg.subject):
        return None
    unread = LoggedEvent("", "", msg.metadata.sequence.stream, msg.subject, msg.data)
    event = parse_logged(unread)
    if event is None:
        return None
    kind = event_type(msg.subject)
    refusal = origin_refusal(
        stream=stream_of(msg),
        subject=msg.subject,
        tenant_id=event.tenant_id,
        event_id=event.event_id,
        kind=kind,
        expected=kind,
    )
    if refusal is not None:
        log.warning("event_refused", reason=refusal, subject=msg.subject)
        return None
    logged = LoggedEvent(event.event_id, event.tenant_id, unread.seq, msg.subject, msg.data)
    return logged, event


class AnalyticsHandler:
    def __init__(self, uow: UnitOfWork, zones: TimeZones) -> None:
        self._uow = uow
        self._zones = zones

    async def __call__(self, msg: Msg) -> None:
        await self.batch([msg])

    async def batch(self, messages: Sequence[Msg]) -> None:
        parsed = [found for msg in messages if (found := logged_event(msg)) is not None]
        await ingest(parsed, self._uow, self._zones)


def analytics_consumer(
    connector: NatsConnector,
    uow: UnitOfWork,
    zones: TimeZones,
    subscription: Subscription = EVENTS,
) -> EventConsumer:
    handler = AnalyticsHandler(uow, zones)
    return EventConsumer(connector, subscription, handler, linger_seconds=LINGER_SECONDS)
