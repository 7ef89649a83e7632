"""Consumers in batches: a fetch's events and their inbox rows in one transaction, one
by one when a batch fails, and each event applied once across a crash mid-batch."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

from google.protobuf.timestamp_pb2 import Timestamp
from nats.aio.msg import Msg
from nats.js import JetStreamContext

from libs.inbox import EventConsumer, Subscription, claim_events
from libs.mongo import Database, MongoClient, Session, run_in_transaction
from libs.nats import NatsConnector
from libs.tests.integration.support import all_acked, an_event, random_name, running
from tests.support.polling import eventually

CONSUMER = "batched"
EVENTS = 40


class Crash(BaseException):
    """The process dies: nothing after this point runs, no message is acked."""


class Effects:
    """A batch consumer: claims its events and records one effect for each new one."""

    def __init__(
        self, mongo: MongoClient, db: Database, *, poison: str = "", crash: bool = False
    ) -> None:
        self._mongo = mongo
        self._db = db
        self._poison = poison
        self._crash = crash
        self.batches: list[int] = []
        self.delivered: list[str] = []

    async def __call__(self, msg: Msg) -> None:
        await self._apply([msg])

    async def batch(self, messages: Sequence[Msg]) -> None:
        await self._apply(messages)

    async def _apply(self, messages: Sequence[Msg]) -> None:
        ids = [(m.headers or {})["Nats-Msg-Id"] for m in messages]
        self.batches.append(len(ids))
        self.delivered += ids

        async def work(session: Session) -> None:
            fresh = await claim_events(self._db, session, CONSUMER, ids)
            for event_id in ids:
                if event_id == self._poison:
                    raise ValueError("an event that cannot apply")
                if event_id in fresh:
                    await self._db.effects.insert_one({"event_id": event_id}, session=session)

        await run_in_transaction(self._mongo, work)
        if self._crash:
            self._crash = False
            raise Crash  # after the commit, before any ack


async def published(js: JetStreamContext, tenant: str, count: int) -> list[str]:
    ids = []
    for _ in range(count):
        event = an_event(tenant)
        await js.publish(event.subject, event.payload, headers=event.headers())
        ids.append(event.event_id)
    return ids


async def effects(db: Database, ids: Sequence[str]) -> dict[str, int]:
    found = await db.effects.find({"event_id": {"$in": list(ids)}}).to_list()
    counts = dict.fromkeys(ids, 0)
    for doc in found:
        counts[doc["event_id"]] += 1
    return counts


def subscription_for(tenant: str) -> Subscription:
    return Subscription(
        durable=random_name(), filter_subject=f"loyalty.{tenant}.>", ack_wait_seconds=1.0
    )


async def test_the_events_of_a_fetch_are_applied_together_each_once(
    mongo: MongoClient,
    db: Database,
    connector: NatsConnector,
    observer: JetStreamContext,
    tenant: str,
) -> None:
    ids = await published(observer, tenant, EVENTS)
    subscription = subscription_for(tenant)
    handler = Effects(mongo, db)

    async with running(EventConsumer(connector, subscription, handler)):
        await eventually(lambda: all_acked(observer, subscription.durable), within=20)

    assert set((await effects(db, ids)).values()) == {1}
    assert max(handler.batches) > 1
    assert len(handler.batches) < EVENTS


async def test_a_failing_batch_is_handled_one_by_one_so_only_its_bad_event_waits(
    mongo: MongoClient,
    db: Database,
    connector: NatsConnector,
    observer: JetStreamContext,
    tenant: str,
) -> None:
    ids = await published(observer, tenant, EVENTS)
    poison = ids[EVENTS // 2]
    subscription = subscription_for(tenant)
    handler = Effects(mongo, db, poison=poison)

    async with running(EventConsumer(connector, subscription, handler, retry_seconds=0.1)):

        async def others_applied() -> bool:
            counts = await effects(db, ids)
            return all(counts[i] == 1 for i in ids if i != poison)

        await eventually(others_applied, within=20)

    counts = await effects(db, ids)
    assert counts[poison] == 0
    assert all(counts[i] == 1 for i in ids if i != poison)


async def test_redelivery_after_a_crash_mid_batch_applies_each_event_once(
    mongo: MongoClient,
    db: Database,
    connector: NatsConnector,
    observer: JetStreamContext,
    tenant: str,
) -> None:
    ids = await published(observer, tenant, EVENTS)
    subscription = subscription_for(tenant)
    crashing = Effects(mongo, db, crash=True)
    task = asyncio.create_task(EventConsumer(connector, subscription, crashing).run())
    with contextlib.suppress(Crash):
        await asyncio.wait_for(task, timeout=20)
    assert crashing.batches
    assert crashing.batches[0] > 1

    restarted = Effects(mongo, db)
    async with running(EventConsumer(connector, subscription, restarted)):
        await eventually(lambda: all_acked(observer, subscription.durable), within=20)

    assert set(crashing.delivered) & set(restarted.delivered)  # the batch came again
    assert set((await effects(db, ids)).values()) == {1}


class Decoding:
    """A consumer whose events are protobuf: it cannot read the test's raw payloads."""

    def __init__(self) -> None:
        self.attempts = 0

    async def __call__(self, msg: Msg) -> None:
        self.attempts += 1
        Timestamp.FromString(b"\xff not a protobuf message")


async def test_an_event_that_cannot_be_decoded_is_stopped_not_redelivered(
    connector: NatsConnector, observer: JetStreamContext, tenant: str
) -> None:
    await published(observer, tenant, 1)
    subscription = subscription_for(tenant)
    handler = Decoding()

    async with running(EventConsumer(connector, subscription, handler, retry_seconds=0.1)):
        await eventually(lambda: all_acked(observer, subscription.durable), within=20)
        await asyncio.sleep(1.5)  # past the ack wait: a redelivery would have come

    assert handler.attempts == 1


async def test_events_recorded_by_their_own_effect_are_looked_up_but_given_no_inbox_row(
    mongo: MongoClient, db: Database
) -> None:
    async def claim(ids: list[str]) -> set[str]:
        async def work(session: Session) -> set[str]:
            return await claim_events(
                db, session, CONSUMER, ids, recorded_elsewhere={"own-1", "own-2"}
            )

        return await run_in_transaction(mongo, work)

    first = await claim(["row-1", "own-1"])
    again = await claim(["row-1", "own-1", "own-2"])

    assert (first, again) == ({"row-1", "own-1"}, {"own-1", "own-2"})
    rows = await db["inbox"].find({"consumer": CONSUMER}).to_list()
    assert [row["event_id"] for row in rows] == ["row-1"]


async def test_a_lingering_consumer_gathers_events_arriving_one_by_one_into_one_batch(
    mongo: MongoClient,
    db: Database,
    connector: NatsConnector,
    observer: JetStreamContext,
    tenant: str,
) -> None:
    subscription = Subscription(
        durable=random_name(), filter_subject=f"loyalty.{tenant}.>", ack_wait_seconds=10.0
    )
    handler = Effects(mongo, db)
    consumer = EventConsumer(connector, subscription, handler, linger_seconds=2.0)

    async with running(consumer):
        ids = []
        for _ in range(5):  # each alone in the stream when it arrives
            ids += await published(observer, tenant, 1)
            await asyncio.sleep(0.05)
        await eventually(lambda: all_acked(observer, subscription.durable), within=20)

    assert set((await effects(db, ids)).values()) == {1}
    assert handler.batches == [5]
