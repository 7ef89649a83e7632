"""The timeline's consumer of the stream, started and stopped with the app, and the stores
the routes use (docs/architecture.md says why the timeline is the gateway's)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from gateway.contact.feedback.store import FeedbackStore
from gateway.contact.timeline.recorder import timeline_consumer
from gateway.contact.timeline.store import TimelineStore
from gateway.settings import GatewaySettings
from gateway.shared.ratings import FEEDBACK
from libs.mongo import Database, MongoClient
from libs.nats import NatsConnector


def timeline_store(db: Database) -> TimelineStore:
    return TimelineStore(db["member_timeline"], db["timeline_merges"])


def feedback_store(client: MongoClient, db: Database) -> FeedbackStore:
    return FeedbackStore(client, db[FEEDBACK], timeline_store(db))


@asynccontextmanager
async def running_timeline(
    settings: GatewaySettings, client: MongoClient, db: Database
) -> AsyncIterator[None]:
    timeline, feedback = timeline_store(db), feedback_store(client, db)
    await timeline.ensure_indexes()
    await feedback.ensure_indexes()
    if not settings.timeline_worker:
        yield
        return
    connector = NatsConnector(
        settings.nats_url,
        "gateway-timeline",
        stream_replicas=settings.nats_stream_replicas,
        credentials=settings.nats_credentials,
    )
    consumer = timeline_consumer(connector, timeline, [feedback.erased])
    task = asyncio.create_task(consumer.run())
    try:
        yield
    finally:
        consumer.stop()
        await asyncio.wait([task], timeout=settings.shutdown_grace_seconds)
        await connector.close()
