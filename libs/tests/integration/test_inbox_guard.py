"""The inbox: an event's effect is applied once per consumer, whatever the redeliveries."""

from __future__ import annotations

import asyncio
import time

import pytest
from nats.aio.msg import Msg
from nats.js import JetStreamContext

from libs.ids import new_id
from libs.inbox import COLLECTION as INBOX
from libs.inbox import EventConsumer, Subscription, claim_event, ensure_inbox_indexes
from libs.mongo import Database, MongoClient, Session, run_in_transaction
from libs.nats import RETENTION_SECONDS, NatsConnector
from libs.stack.handle import ServerHandle
from libs.tests.integration.support import (
    all_acked,
    an_event,
    random_name,
    running,
    server_down,
)
from tests.support.polling import eventually

CONSUMER = "rewards"


async def apply_once(mongo: MongoClient, db: Database, event_id: str) -> bool:
    """A consumer's transaction: claim the event, and record its effect if it was new."""

    async def work(session: Session) -> bool:
        if not await claim_event(db, session, CONSUMER, event_id):
            return False
        await db.effects.insert_one({"event_id": event_id}, session=session)
        return True

    return await run_in_transaction(mongo, work)


async def effects_of(db: Database, event_id: str) -> int:
    return await db.effects.count_documents({"event_id": event_id})


async def test_an_event_is_claimed_once_per_consumer(mongo: MongoClient, db: Database) -> None:
    event_id = new_id("evt_")

    async def claim(consumer: str) -> bool:
        async def work(session: Session) -> bool:
            return await claim_event(db, session, consumer, event_id)

        return await run_in_transaction(mongo, work)

    assert await claim(CONSUMER) is True
    assert await claim(CONSUMER) is False
    assert await claim("another-consumer") is True


async def test_a_claim_in_an_aborted_transaction_does_not_count(
    mongo: MongoClient, db: Database
) -> None:
    event_id = new_id("evt_")

    async def work(session: Session) -> None:
        await claim_event(db, session, CONSUMER, event_id)
        raise ConnectionError("the effect failed")

    with pytest.raises(ConnectionError):
        await run_in_transaction(mongo, work)

    assert await apply_once(mongo, db, event_id) is True


async def test_two_concurrent_deliveries_of_one_event_apply_its_effect_once(
    mongo: MongoClient, db: Database
) -> None:
    event_id = new_id("evt_")
    both_looked = asyncio.Barrier(2)

    async def deliver() -> bool:
        first_attempt = True

        async def work(session: Session) -> bool:
            nonlocal first_attempt
            await db.effects.find_one({"event_id": event_id}, session=session)  # snapshot
            if first_attempt:  # each has its snapshot before either claims
                first_attempt = False
                await both_looked.wait()
            if not await claim_event(db, session, CONSUMER, event_id):
                return False
            await db.effects.insert_one({"event_id": event_id}, session=session)
            return True

        return await run_in_transaction(mongo, work)

    results = await asyncio.gather(deliver(), deliver())

    assert sorted(results) == [False, True]
    assert await effects_of(db, event_id) == 1


def subscription_for(tenant: str) -> Subscription:
    return Subscription(durable=random_name(), filter_subject=f"loyalty.{tenant}.>")


async def publish(js: JetStreamContext, tenant: str) -> str:
    event = an_event(tenant)
    await js.publish(event.subject, event.payload, headers=event.headers())
    return event.event_id


async def test_an_event_whose_ack_was_lost_after_its_commit_is_redelivered_and_applied_once(
    mongo: MongoClient,
    db: Database,
    connector: NatsConnector,
    observer: JetStreamContext,
    tenant: str,
) -> None:
    deliveries: list[str] = []

    async def handle(msg: Msg) -> None:
        event_id = (msg.headers or {})["Nats-Msg-Id"]
        deliveries.append(event_id)
        await apply_once(mongo, db, event_id)
        if len(deliveries) == 1:
            raise ConnectionError("crashed between the commit and the ack")

    subscription = subscription_for(tenant)
    consumer = EventConsumer(connector, subscription, handle, retry_seconds=0.1)
    event_id = await publish(observer, tenant)
    async with running(consumer):
        await eventually(lambda: all_acked(observer, subscription.durable))

    assert deliveries == [event_id, event_id]
    assert await effects_of(db, event_id) == 1


async def test_a_consumer_keeps_consuming_after_nats_restarts(
    mongo: MongoClient,
    db: Database,
    connector: NatsConnector,
    observer: JetStreamContext,
    nats_server: ServerHandle,
) -> None:
    tenant = random_name()

    async def handle(msg: Msg) -> None:
        await apply_once(mongo, db, (msg.headers or {})["Nats-Msg-Id"])

    subscription = subscription_for(tenant)
    consumer = EventConsumer(connector, subscription, handle, retry_seconds=0.1)
    async with running(consumer):
        before = await publish(observer, tenant)
        await eventually(lambda: _applied(db, before))
        async with server_down(nats_server):
            await asyncio.sleep(0.5)
        after = await publish(observer, tenant)
        await eventually(lambda: _applied(db, after), within=20)


async def test_stop_ends_the_consumer_and_lets_its_connection_close_promptly(
    connector: NatsConnector, observer: JetStreamContext, tenant: str
) -> None:
    handled = asyncio.Event()

    async def handle(msg: Msg) -> None:
        handled.set()

    consumer = EventConsumer(connector, subscription_for(tenant), handle)
    task = asyncio.create_task(consumer.run())
    await publish(observer, tenant)
    await asyncio.wait_for(handled.wait(), timeout=10)
    started = time.monotonic()

    consumer.stop()
    await asyncio.wait_for(task, timeout=5)
    await asyncio.wait_for(connector.close(), timeout=5)

    assert time.monotonic() - started < 1.5


async def _applied(db: Database, event_id: str) -> bool:
    return await effects_of(db, event_id) == 1


async def test_handled_event_records_expire_with_the_stream_retention(db: Database) -> None:
    await ensure_inbox_indexes(db)
    await ensure_inbox_indexes(db)
    indexes = await db[INBOX].index_information()
    assert indexes["at_ttl"]["expireAfterSeconds"] == RETENTION_SECONDS
