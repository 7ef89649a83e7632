"""The stream's durable consumer for members' timelines: each event on a member's timeline
becomes an entry (gateway.contact.timeline.kinds), a merge links the merged member's timeline to
the survivor's, and an erasure removes the text of the member's notes and feedback.

Entries have ids made of the tenant and the event id, inserted only when absent; links
and erasures are the same whenever they run again: a redelivered batch changes nothing
and needs no inbox.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

from nats.aio.msg import Msg

from gateway.contact.timeline.kinds import EVENT_TYPES, entry_of
from gateway.contact.timeline.store import TimelineStore, entry_id
from gateway.shared.event_json import decode
from libs.clock import utc_now
from libs.inbox import EventConsumer, Subscription, stream_of
from libs.logging import get_logger
from libs.mongo import Doc
from libs.nats import STREAM_NAME, NatsConnector, event_subject

SUBSCRIPTION = Subscription(durable="gateway-timeline", filter_subject="loyalty.>")
# A timeline is read by support staff: a quarter of a second later costs nothing and
# gathers many events into one write.
LINGER_SECONDS = 0.25
ERASED = "member.erased"

log = get_logger(__name__)
# (tenant, member) -> forget what the member wrote (feedback kept by another slice)
Eraser = Callable[[str, str], Awaitable[None]]


def _event(msg: Msg) -> tuple[str, str, str, dict[str, Any], datetime] | None:
    headers = msg.headers or {}
    event_type = headers.get("Loyalty-Event-Type", "")
    tenant_id = headers.get("Loyalty-Tenant", "")
    event_id = headers.get("Nats-Msg-Id", "")
    if event_type not in EVENT_TYPES | {ERASED} or not (tenant_id and event_id):
        return None
    if stream_of(msg) != STREAM_NAME or msg.subject != event_subject(tenant_id, event_type):
        log.warning("timeline_event_refused", subject=msg.subject, event_id=event_id)
        return None
    data, occurred = decode(event_type, msg.data)
    return tenant_id, event_id, event_type, data, occurred or utc_now()


def entry_doc(tenant_id: str, source: str, occurred_at: datetime, **fields: Any) -> Doc:
    """A timeline document: the entry's fields with its tenant, id and time."""
    return {
        "_id": entry_id(tenant_id, source),
        "tenant_id": tenant_id,
        "occurred_at": occurred_at,
        **fields,
    }


class TimelineRecorder:
    """A `BatchHandler` for `EventConsumer`: a fetch's entries in one bulk write, then its
    merges and erasures in stream order."""

    def __init__(self, timeline: TimelineStore, erasers: Sequence[Eraser] = ()) -> None:
        self._timeline = timeline
        self._erasers = erasers

    async def __call__(self, msg: Msg) -> None:
        await self.batch([msg])

    async def batch(self, messages: Sequence[Msg]) -> None:
        docs: list[Doc] = []
        after: list[tuple[str, str, dict[str, Any]]] = []
        for msg in messages:
            event = _event(msg)
            if event is None:
                continue
            tenant_id, event_id, event_type, data, occurred = event
            entry = entry_of(event_type, data)
            if entry is not None:
                docs.append(
                    entry_doc(
                        tenant_id,
                        event_id,
                        occurred,
                        member_id=entry.member_id,
                        kind=entry.kind,
                        channel=entry.channel,
                        store_id=entry.store_id,
                        event_type=event_type,
                        details=dict(entry.details),
                    )
                )
            if event_type in ("member.merged", ERASED):
                after.append((tenant_id, event_type, data))
        await self._timeline.record(docs)
        for tenant_id, event_type, data in after:
            await self._follow(tenant_id, event_type, data)

    async def _follow(self, tenant_id: str, event_type: str, data: dict[str, Any]) -> None:
        if event_type == ERASED:
            member_id = str(data.get("member_id", ""))
            await self._timeline.erased(tenant_id, member_id)
            for erase in self._erasers:
                await erase(tenant_id, member_id)
            return
        await self._timeline.merged(tenant_id, str(data["survivor_id"]), str(data["merged_id"]))


def timeline_consumer(
    connector: NatsConnector, timeline: TimelineStore, erasers: Sequence[Eraser] = ()
) -> EventConsumer:
    recorder = TimelineRecorder(timeline, erasers)
    return EventConsumer(connector, SUBSCRIPTION, recorder, linger_seconds=LINGER_SECONDS)
