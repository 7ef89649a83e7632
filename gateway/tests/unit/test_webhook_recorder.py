"""The webhook recorder decodes an event only for an endpoint that takes its type: the
stream's every event costs a tenant without endpoints no decoding."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from nats.aio.msg import Msg

from gateway.webhooks.deliveries import DeliveryStore
from gateway.webhooks.endpoints import Endpoint, EndpointStore
from gateway.webhooks.recorder import WebhookRecorder
from libs.mongo import Doc
from libs.nats import STREAM_NAME, event_subject
from libs.timestamps import timestamp
from loyalty.common.v1.common_pb2 import EventMeta
from loyalty.points.v1 import events_pb2

NOW = datetime.now(UTC)
UNREADABLE = b"\xff\xff\xff"


@dataclass
class Metadata:
    stream: str = STREAM_NAME


@dataclass
class Delivered:
    subject: str
    data: bytes
    headers: dict[str, str]
    metadata: Metadata = field(default_factory=Metadata)


def delivered(tenant: str, event_type: str, data: bytes, event_id: str) -> Msg:
    headers = {
        "Loyalty-Event-Type": event_type,
        "Loyalty-Tenant": tenant,
        "Nats-Msg-Id": event_id,
    }
    return cast(Msg, Delivered(event_subject(tenant, event_type), data, headers))


def earned(tenant: str, event_id: str) -> bytes:
    meta = EventMeta(event_id=event_id, tenant_id=tenant, occurred_at=timestamp(NOW))
    return events_pb2.PointsEarned(meta=meta, member_id="m1", points=10).SerializeToString()


class Endpoints:
    def __init__(self, endpoints: list[Endpoint]) -> None:
        self._endpoints = endpoints

    async def subscribed(self, tenant_id: str, event_types: list[str]) -> list[Endpoint]:
        return [
            e
            for e in self._endpoints
            if e.tenant_id == tenant_id and set(e.event_types) & set(event_types)
        ]


class Deliveries:
    def __init__(self) -> None:
        self.rows: list[Doc] = []

    async def record(self, rows: list[Doc]) -> None:
        self.rows += rows


def endpoint(tenant: str, event_types: tuple[str, ...]) -> Endpoint:
    created = NOW - timedelta(minutes=1)
    return Endpoint(
        endpoint_id="we_1",
        tenant_id=tenant,
        url="https://erp.example.com/hooks",
        event_types=event_types,
        enabled=True,
        secret="whsec_x",
        previous_secret=None,
        previous_until=None,
        created_at=created,
        updated_at=created,
    )


def recorder(endpoints: list[Endpoint], deliveries: Deliveries) -> WebhookRecorder:
    store: Any = Endpoints(endpoints)
    return WebhookRecorder(cast(EndpointStore, store), cast(DeliveryStore, deliveries))


async def test_events_no_endpoint_takes_are_never_decoded() -> None:
    deliveries = Deliveries()
    quiet = recorder([endpoint("t2", ("points.earned",))], deliveries)

    await quiet.batch(
        [
            delivered("t1", "points.earned", UNREADABLE, "ev1"),
            delivered("t2", "points.redeemed", UNREADABLE, "ev2"),
        ]
    )

    assert deliveries.rows == []


async def test_an_event_an_endpoint_takes_becomes_its_delivery() -> None:
    deliveries = Deliveries()
    taking = recorder([endpoint("t1", ("points.earned",))], deliveries)

    await taking.batch(
        [
            delivered("t1", "points.earned", earned("t1", "ev1"), "ev1"),
            delivered("t1", "points.redeemed", UNREADABLE, "ev2"),
        ]
    )

    assert [(r["event_id"], r["endpoint_id"]) for r in deliveries.rows] == [("ev1", "we_1")]
