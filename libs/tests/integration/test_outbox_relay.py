"""The outbox: rows leave only with their transaction, and reach the stream exactly once."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import pytest
from nats.js import JetStreamContext

from libs.mongo import Database, MongoClient, Session, run_in_transaction
from libs.nats import NatsConnector
from libs.outbox import COLLECTION, OutboxMessage, OutboxRelay, add_to_outbox, ensure_outbox_indexes
from libs.stack.handle import ServerHandle
from libs.tests.integration.support import an_event, ids_of, messages_on, running, server_down
from tests.support.polling import eventually


class Refused(Exception):
    pass


@dataclass
class Outbox:
    """A service's outbox and relay, and a view of the stream they publish to."""

    mongo: MongoClient
    db: Database
    relay: OutboxRelay
    stream: JetStreamContext
    tenant: str

    async def commit(self, *events: OutboxMessage) -> None:
        async def work(session: Session) -> None:
            await add_to_outbox(self.db, session, events)

        await run_in_transaction(self.mongo, work)

    async def is_marked(self, event: OutboxMessage) -> bool:
        row = await self.db[COLLECTION].find_one({"event_id": event.event_id})
        assert row is not None
        return row["published_at"] is not None

    async def ids_in_stream(self, event: OutboxMessage) -> list[str]:
        return ids_of(await messages_on(self.stream, event.subject))

    async def wait_until_marked(self, event: OutboxMessage, within: float = 10) -> None:
        await eventually(lambda: self.is_marked(event), within=within)


@pytest.fixture
async def outbox(
    mongo: MongoClient,
    db: Database,
    connector: NatsConnector,
    observer: JetStreamContext,
    tenant: str,
) -> Outbox:
    await ensure_outbox_indexes(db)
    relay = OutboxRelay(db, connector, sweep_seconds=0.2, publish_timeout=1.0)
    return Outbox(mongo, db, relay, observer, tenant)


async def test_rows_written_in_an_aborted_transaction_never_leave(outbox: Outbox) -> None:
    event = an_event(outbox.tenant)

    async def work(session: Session) -> None:
        await add_to_outbox(outbox.db, session, [event])
        raise Refused

    with pytest.raises(Refused):
        await run_in_transaction(outbox.mongo, work)
    await outbox.relay.publish_pending()

    assert await outbox.db[COLLECTION].count_documents({}) == 0
    assert await outbox.ids_in_stream(event) == []


async def test_a_committed_event_is_published_under_its_id_on_its_tenant_subject_then_marked(
    outbox: Outbox,
) -> None:
    event = an_event(outbox.tenant, "points.earned")
    await outbox.commit(event)
    assert not await outbox.is_marked(event)

    await outbox.relay.publish_pending()

    messages = await messages_on(outbox.stream, f"loyalty.{outbox.tenant}.points.earned")
    assert ids_of(messages) == [event.event_id]
    assert messages[0].data == event.payload
    assert (messages[0].headers or {})["Loyalty-Tenant"] == outbox.tenant
    assert await outbox.is_marked(event)


async def test_a_row_whose_mark_was_lost_is_republished_without_a_second_message(
    outbox: Outbox,
) -> None:
    event = an_event(outbox.tenant)
    await outbox.commit(event)
    await outbox.relay.publish_pending()
    await outbox.db[COLLECTION].update_one(
        {"event_id": event.event_id}, {"$set": {"published_at": None}}
    )

    await outbox.relay.publish_pending()

    assert await outbox.is_marked(event)
    assert await outbox.ids_in_stream(event) == [event.event_id]


async def test_an_event_committed_while_nats_is_down_is_published_once_when_it_returns(
    outbox: Outbox, nats_server: ServerHandle
) -> None:
    before, during = an_event(outbox.tenant, "member.enrolled"), an_event(outbox.tenant)
    async with running(outbox.relay):
        await outbox.commit(before)
        outbox.relay.notify()
        await outbox.wait_until_marked(before)

        async with server_down(nats_server):
            deferred = outbox.relay.deferrals
            await outbox.commit(during)
            outbox.relay.notify()
            await eventually(lambda: outbox.relay.deferrals > deferred)  # it tried, and failed
            assert not await outbox.is_marked(during)

        await outbox.wait_until_marked(during, within=20)

    assert await outbox.ids_in_stream(during) == [during.event_id]
    assert await outbox.ids_in_stream(before) == [before.event_id]


async def test_a_relay_started_while_nats_is_down_publishes_once_nats_is_up(
    outbox: Outbox, nats_server: ServerHandle
) -> None:
    event = an_event(outbox.tenant)
    await outbox.commit(event)
    async with running(outbox.relay):
        async with server_down(nats_server):
            await eventually(lambda: outbox.relay.deferrals > 0)
            assert not await outbox.is_marked(event)
        await outbox.wait_until_marked(event, within=20)

    assert await outbox.ids_in_stream(event) == [event.event_id]


async def test_notify_publishes_at_once_rather_than_at_the_next_sweep(
    outbox: Outbox, connector: NatsConnector
) -> None:
    relay = OutboxRelay(outbox.db, connector, sweep_seconds=60)
    event = an_event(outbox.tenant)
    async with running(relay):
        await eventually(lambda: relay.sweeps > 0)  # found nothing; waits for the next sweep
        await outbox.commit(event)
        relay.notify()
        await outbox.wait_until_marked(event, within=5)


async def test_stop_ends_the_relay_run_promptly_even_mid_sweep_wait(
    db: Database, connector: NatsConnector
) -> None:
    relay = OutboxRelay(db, connector, sweep_seconds=60)
    task = asyncio.create_task(relay.run())
    await eventually(lambda: relay.sweeps > 0)  # in its wait for the next sweep
    started = time.monotonic()

    relay.stop()
    await asyncio.wait_for(task, timeout=5)

    assert time.monotonic() - started < 1.0


async def test_stop_ends_the_relay_run_promptly_while_nats_is_down(
    outbox: Outbox, nats_server: ServerHandle
) -> None:
    await outbox.commit(an_event(outbox.tenant))
    async with server_down(nats_server):
        task = asyncio.create_task(outbox.relay.run())
        await eventually(lambda: outbox.relay.deferrals > 0)  # it tried to reach NATS
        started = time.monotonic()

        outbox.relay.stop()
        await asyncio.wait_for(task, timeout=15)

        assert time.monotonic() - started < 3.0


async def test_ensuring_the_outbox_indexes_again_at_the_next_start_is_harmless(
    outbox: Outbox,
) -> None:
    await ensure_outbox_indexes(outbox.db)

    indexes = await outbox.db[COLLECTION].index_information()

    assert indexes["published_ttl"]["expireAfterSeconds"] == 7 * 24 * 3600


async def test_a_relay_whose_marks_wait_sends_each_row_once_and_marks_them_with_one_write(
    outbox: Outbox, connector: NatsConnector
) -> None:
    relay = OutboxRelay(outbox.db, connector, sweep_seconds=60, mark_seconds=60)
    first, second = an_event(outbox.tenant), an_event(outbox.tenant)
    await outbox.commit(first)
    await relay.publish_pending()
    await outbox.commit(second)
    await relay.publish_pending()
    await relay.publish_pending()  # finds the published rows unmarked, and skips them

    assert relay.published == 2
    assert relay.marks == 0
    assert not await outbox.is_marked(first)

    await relay.mark_published()

    assert relay.marks == 1
    assert await outbox.is_marked(first)
    assert await outbox.is_marked(second)
    assert await outbox.ids_in_stream(first) == [first.event_id, second.event_id]


async def test_a_running_relay_marks_what_it_published_once_the_wait_is_over_between_sweeps(
    outbox: Outbox, connector: NatsConnector
) -> None:
    relay = OutboxRelay(outbox.db, connector, sweep_seconds=60, mark_seconds=0.3)
    event = an_event(outbox.tenant)
    await outbox.commit(event)
    async with running(relay):
        await eventually(lambda: relay.sweeps == 1)  # published, not marked yet
        await outbox.wait_until_marked(event, within=10)
        sweeps = relay.sweeps

    assert sweeps == 1  # marked without looking for rows again
    assert relay.marks == 1


async def test_a_stopping_relay_marks_what_it_published(
    outbox: Outbox, connector: NatsConnector
) -> None:
    relay = OutboxRelay(outbox.db, connector, sweep_seconds=60, mark_seconds=3600)
    event = an_event(outbox.tenant)
    async with running(relay):
        await outbox.commit(event)
        relay.notify()
        await eventually(lambda: relay.published > 0)
        assert not await outbox.is_marked(event)

    assert await outbox.is_marked(event)


async def test_a_restarted_relay_sends_rows_whose_marks_were_waiting_without_a_second_message(
    outbox: Outbox, connector: NatsConnector
) -> None:
    crashed = OutboxRelay(outbox.db, connector, sweep_seconds=60, mark_seconds=3600)
    event = an_event(outbox.tenant)
    await outbox.commit(event)
    await crashed.publish_pending()
    restarted = OutboxRelay(outbox.db, connector, sweep_seconds=60)

    await restarted.publish_pending()

    assert restarted.published == 1
    assert await outbox.is_marked(event)
    assert await outbox.ids_in_stream(event) == [event.event_id]
