"""A unit of work commits its state change and its events together, then nudges the relay."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from nats.js import JetStreamContext

from libs.ids import new_id
from libs.mongo import Database, MongoClient, Session
from libs.nats import NatsConnector
from libs.outbox import COLLECTION, OutboxMessage, OutboxRelay
from libs.tests.integration.support import an_event, ids_of, messages_on, running
from libs.unit_of_work import MongoUnitOfWork
from tests.support.polling import eventually


@dataclass
class Members:
    """A repository that records an event per enrolment, as a service's would."""

    db: Database
    session: Session | None
    events: list[OutboxMessage] = field(default_factory=list)

    async def enroll(self, tenant: str) -> str:
        member_id = new_id("mem_")
        await self.db.members.insert_one({"_id": member_id}, session=self.session)
        self.events.append(an_event(tenant, "member.enrolled"))
        return member_id


class CountingRelay(OutboxRelay):
    """A relay that counts the nudges it is given."""

    nudges = 0

    def notify(self) -> None:
        self.nudges += 1
        super().notify()


def unit_of_work(
    mongo: MongoClient, db: Database, relay: OutboxRelay
) -> MongoUnitOfWork[Members, OutboxMessage]:
    return MongoUnitOfWork(mongo, db, Members, lambda event: event, relay)


async def test_a_committed_unit_stores_its_change_and_its_event_leaves_at_once(
    mongo: MongoClient,
    db: Database,
    connector: NatsConnector,
    observer: JetStreamContext,
    tenant: str,
) -> None:
    relay = OutboxRelay(db, connector, sweep_seconds=60)
    uow = unit_of_work(mongo, db, relay)
    async with running(relay):
        member_id = await uow.transaction(lambda members: members.enroll(tenant))

        async def published() -> bool:
            return len(await messages_on(observer, f"loyalty.{tenant}.member.enrolled")) == 1

        await eventually(published, within=5)

    assert await db.members.count_documents({"_id": member_id}) == 1
    row = await db[COLLECTION].find_one({})
    assert row is not None
    assert ids_of(await messages_on(observer, row["subject"])) == [row["event_id"]]


async def test_a_failed_unit_leaves_neither_its_change_nor_its_events(
    mongo: MongoClient, db: Database, connector: NatsConnector, tenant: str
) -> None:
    uow = unit_of_work(mongo, db, OutboxRelay(db, connector))

    async def enroll_then_refuse(members: Members) -> None:
        await members.enroll(tenant)
        raise LookupError("the phone number is taken")

    with pytest.raises(LookupError):
        await uow.transaction(enroll_then_refuse)

    assert await db.members.count_documents({}) == 0
    assert await db[COLLECTION].count_documents({}) == 0


async def test_only_a_unit_that_wrote_events_wakes_the_relay(
    mongo: MongoClient, db: Database, connector: NatsConnector, tenant: str
) -> None:
    relay = CountingRelay(db, connector)
    uow = unit_of_work(mongo, db, relay)

    async def touch(members: Members) -> None:
        await members.db.members.insert_one({"_id": new_id("mem_")}, session=members.session)

    await uow.transaction(touch)
    assert relay.nudges == 0
    await uow.transaction(lambda members: members.enroll(tenant))
    assert relay.nudges == 1
