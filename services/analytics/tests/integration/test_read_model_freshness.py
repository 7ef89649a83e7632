"""Whether the read model is current, against a real NATS and SecantusDB: behind while its
durable consumer has an event of the stream it has not acknowledged, current once it has,
and rebuilding while a rebuild replays the log."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig

from libs.mongo import Database, MongoClient
from libs.nats import STREAM_NAME, NatsConnector
from services.analytics.adapters.freshness import StreamFreshness
from services.analytics.adapters.repositories import CONTROL, REBUILD


@pytest.fixture
async def connector(nats_url: str) -> AsyncIterator[NatsConnector]:
    nats = NatsConnector(nats_url, "freshness-test")
    yield nats
    await nats.close()


async def a_durable(js: JetStreamContext, tenant: str) -> tuple[str, Any]:
    """A durable of this tenant's events that has taken none yet, and its pull
    subscription."""
    durable = f"fresh-{tenant}"
    subject = f"loyalty.{tenant}.>"
    config = ConsumerConfig(
        durable_name=durable, filter_subject=subject, ack_policy=AckPolicy.EXPLICIT
    )
    await js.add_consumer(STREAM_NAME, config)
    return durable, await js.pull_subscribe(subject, durable=durable, stream=STREAM_NAME)


async def test_the_read_model_is_behind_until_its_consumer_acknowledges_what_the_stream_held(
    connector: NatsConnector,
    publisher: JetStreamContext,
    analytics_db: tuple[MongoClient, Database],
    tenant: str,
) -> None:
    durable, pulled = await a_durable(publisher, tenant)
    freshness = StreamFreshness(connector, analytics_db[1], durable, wait_seconds=0.3)
    empty = await freshness.behind()
    await publisher.publish(f"loyalty.{tenant}.member.enrolled", b"x")

    waiting = await freshness.behind()
    for message in await pulled.fetch(1, timeout=5):
        await message.ack_sync()
    applied = await freshness.behind()

    assert (empty, waiting, applied) == ("", "analytics_behind", "")


async def test_the_read_model_is_not_current_while_a_rebuild_runs(
    connector: NatsConnector,
    publisher: JetStreamContext,
    analytics_db: tuple[MongoClient, Database],
    tenant: str,
) -> None:
    durable, _ = await a_durable(publisher, tenant)
    db = analytics_db[1]
    freshness = StreamFreshness(connector, db, durable, wait_seconds=0.3)
    await db[CONTROL].update_one({"_id": REBUILD}, {"$set": {"running": True}}, upsert=True)

    assert await freshness.behind() == "analytics_rebuilding"


async def test_without_nats_whether_it_is_current_cannot_be_told_so_it_is_behind(
    analytics_db: tuple[MongoClient, Database],
) -> None:
    nowhere = NatsConnector("nats://127.0.0.1:1", "freshness-test", connect_timeout=0.3)
    freshness = StreamFreshness(nowhere, analytics_db[1], "any", wait_seconds=0.3)

    assert await freshness.behind() == "analytics_behind"
