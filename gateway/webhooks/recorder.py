"""The stream's durable consumer for webhooks: each event a tenant's enabled endpoint
subscribes to becomes a delivery record, and nothing more. It never calls an endpoint,
so a slow or failing receiver cannot hold up the stream (the dispatcher sends).

Records have ids made of the event and the endpoint, so a redelivered batch inserts
nothing twice and needs no inbox. An endpoint receives events that occurred after it
was created only.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nats.aio.msg import Msg

from gateway.webhooks.catalogue import EVENT_TYPES, decode
from gateway.webhooks.deliveries import PENDING, DeliveryStore, delivery_id
from gateway.webhooks.endpoints import Endpoint, EndpointStore
from libs.clock import utc_now
from libs.inbox import EventConsumer, Subscription, stream_of
from libs.logging import get_logger
from libs.mongo import Doc
from libs.nats import STREAM_NAME, NatsConnector, event_subject

SUBSCRIPTION = Subscription(durable="gateway-webhooks", filter_subject="loyalty.>")
# Deliveries are sent by the dispatcher anyway: gathering a quarter of a second of events
# reads the endpoints once for all of them.
LINGER_SECONDS = 0.25

log = get_logger(__name__)


@dataclass(frozen=True)
class Arrived:
    """An event as its headers name it; its payload is decoded only for an endpoint."""

    tenant_id: str
    event_id: str
    event_type: str
    msg: Msg


def _arrived(msg: Msg) -> Arrived | None:
    """The event a message carries, from its headers; None for what no webhook takes."""
    headers = msg.headers or {}
    event_type = headers.get("Loyalty-Event-Type", "")
    tenant_id = headers.get("Loyalty-Tenant", "")
    event_id = headers.get("Nats-Msg-Id", "")
    if event_type not in EVENT_TYPES or not (tenant_id and event_id):
        return None
    if stream_of(msg) != STREAM_NAME or msg.subject != event_subject(tenant_id, event_type):
        log.warning("webhook_event_refused", subject=msg.subject, event_id=event_id)
        return None
    return Arrived(tenant_id, event_id, event_type, msg)


def _event(arrived: Arrived) -> dict[str, Any]:
    """The event as a delivery needs it."""
    data, occurred = decode(arrived.event_type, arrived.msg.data)
    return {
        "tenant_id": arrived.tenant_id,
        "event_id": arrived.event_id,
        "event_type": arrived.event_type,
        "occurred_at": occurred or utc_now(),
        "data": data,
    }


def _body(event: dict[str, Any], record_id: str) -> str:
    """The JSON sent, fixed once so every attempt signs the same bytes."""
    envelope = {
        "id": record_id,
        "type": event["event_type"],
        "timestamp": event["occurred_at"].isoformat(),
        "event_id": event["event_id"],
        "tenant_id": event["tenant_id"],
        "data": event["data"],
    }
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False)


class WebhookRecorder:
    """A `BatchHandler` for `EventConsumer`: a whole fetch in one pass, one read of
    endpoints per tenant in it, one bulk write."""

    def __init__(self, endpoints: EndpointStore, deliveries: DeliveryStore) -> None:
        self._endpoints = endpoints
        self._deliveries = deliveries

    async def __call__(self, msg: Msg) -> None:
        await self.batch([msg])

    async def batch(self, messages: Sequence[Msg]) -> None:
        """Events are decoded only when an endpoint takes their type: a tenant without
        endpoints costs one indexed read a batch and no decoding."""
        by_tenant: dict[str, list[Arrived]] = defaultdict(list)
        for msg in messages:
            arrived = _arrived(msg)
            if arrived is not None:
                by_tenant[arrived.tenant_id].append(arrived)
        rows: list[Doc] = []
        now = utc_now()
        for tenant_id, arrivals in by_tenant.items():
            types = sorted({a.event_type for a in arrivals})
            endpoints = await self._endpoints.subscribed(tenant_id, types)
            wanted = {t for endpoint in endpoints for t in endpoint.event_types}
            events = [_event(a) for a in arrivals if a.event_type in wanted]
            for endpoint in endpoints:
                for event in events:
                    if event["event_type"] in endpoint.event_types and _after(event, endpoint):
                        rows.append(_row(event, endpoint.endpoint_id, now))
        await self._deliveries.record(rows)


def _after(event: dict[str, Any], endpoint: Endpoint) -> bool:
    return bool(event["occurred_at"] >= endpoint.created_at)


def _row(event: dict[str, Any], endpoint_id: str, now: datetime) -> Doc:
    record_id = delivery_id(event["event_id"], endpoint_id)
    return {
        "_id": record_id,
        "tenant_id": event["tenant_id"],
        "endpoint_id": endpoint_id,
        "event_id": event["event_id"],
        "event_type": event["event_type"],
        "occurred_at": event["occurred_at"],
        "body": _body(event, record_id),
        "status": PENDING,
        "attempts": 0,
        "next_at": now,
        "window_start": now,
        "created_at": now,
    }


def webhook_consumer(
    connector: NatsConnector, endpoints: EndpointStore, deliveries: DeliveryStore
) -> EventConsumer:
    recorder = WebhookRecorder(endpoints, deliveries)
    return EventConsumer(connector, SUBSCRIPTION, recorder, linger_seconds=LINGER_SECONDS)
