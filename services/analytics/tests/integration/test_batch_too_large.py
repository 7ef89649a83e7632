"""A batch whose member pages weigh more than one transaction may carry (a transaction's
uncommitted writes stay in the database's cache until it commits) is taken in halves,
each in its own transaction, in order: every event is applied once, and the read model
is the one a single transaction would have made. A rebuild's page is replayed in halves
the same way."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import pytest

from libs.errors import TransactionTooLarge
from libs.ids import new_id
from libs.mongo import Database, MongoClient
from libs.nats import event_subject
from libs.timestamps import timestamp
from loyalty.common.v1.common_pb2 import EventMeta
from loyalty.member.v1 import events_pb2 as member_pb
from services.analytics.adapters.repositories import LOG, MongoUnitOfWork, ensure_indexes
from services.analytics.domain.ports import LoggedEvent, Repositories, TimeZones
from services.analytics.entrypoints.events import parse_logged
from services.analytics.handlers import ingest as ingesting
from services.analytics.handlers.ingest import Parsed, ingest
from services.analytics.handlers.rebuild import rebuild
from services.analytics.tests.integration.test_one_batch import documents

T = TypeVar("T")
ENROLMENTS = 400
# Far less than the 400 members' pages weigh (each page about a kilobyte here), more
# than any one event's two.
SMALL_BUDGET = 12_000


class Shanghai(TimeZones):
    async def time_zone(self, tenant_id: str) -> str:
        return "Asia/Shanghai"


class CountedUnitOfWork(MongoUnitOfWork):
    """Counts the transactions that committed."""

    committed = 0

    async def transaction(self, work: Callable[[Repositories], Awaitable[T]]) -> T:
        result = await super().transaction(work)
        self.committed += 1
        return result


def enrolments(tenant: str, count: int) -> list[Parsed]:
    """`count` members enrolling a minute apart, as the member service publishes them."""
    start = datetime(2026, 3, 1, 2, tzinfo=UTC)
    parsed = []
    for seq in range(1, count + 1):
        event_id = new_id("ev")
        at = timestamp(start + timedelta(minutes=seq))
        meta = EventMeta(
            event_id=event_id, tenant_id=tenant, type="member.enrolled", occurred_at=at
        )
        message = member_pb.MemberEnrolled(
            meta=meta, member_id=new_id("m"), channel="pos", store_id="S1", tier_code="member"
        )
        subject = event_subject(tenant, "member.enrolled")
        logged = LoggedEvent(event_id, tenant, seq, subject, message.SerializeToString())
        event = parse_logged(logged)
        assert event is not None
        parsed.append((logged, event))
    return parsed


async def fresh_db(client: MongoClient) -> Database:
    db = client[f"analytics_{new_id('split')}"]
    await ensure_indexes(db)
    return db


async def test_a_batch_too_heavy_for_one_transaction_is_taken_in_halves_once_each(
    analytics_db: tuple[MongoClient, Database],
) -> None:
    client, _ = analytics_db
    tenant = new_id("t")
    batch = enrolments(tenant, ENROLMENTS)
    whole, split = await fresh_db(client), await fresh_db(client)
    await ingest(batch, MongoUnitOfWork(client, whole), Shanghai())
    halves = CountedUnitOfWork(client, split, page_bytes=SMALL_BUDGET)
    with pytest.raises(TransactionTooLarge):
        await ingesting._ingest_once(batch, halves, Shanghai())

    taken = await ingest(batch, halves, Shanghai())
    again = await ingest(batch, halves, Shanghai())

    assert (taken, again) == (ENROLMENTS, 0)
    assert halves.committed > 2
    assert await split[LOG].count_documents({"t": tenant}) == ENROLMENTS
    assert await documents(split, tenant) == await documents(whole, tenant)


async def test_a_rebuild_replays_a_page_too_heavy_for_one_transaction_in_halves(
    analytics_db: tuple[MongoClient, Database],
) -> None:
    client, _ = analytics_db
    tenant = new_id("t")
    db = await fresh_db(client)
    await ingest(enrolments(tenant, ENROLMENTS), MongoUnitOfWork(client, db), Shanghai())
    ingested = await documents(db, tenant)
    halves = CountedUnitOfWork(client, db, page_bytes=SMALL_BUDGET)

    replayed = await rebuild(halves, parse_logged, Shanghai(), page=ENROLMENTS)

    assert replayed == ENROLMENTS
    assert halves.committed > 3  # the claim, then more than one page of events
    assert await documents(db, tenant) == ingested


async def test_one_event_is_taken_whatever_its_pages_weigh(
    analytics_db: tuple[MongoClient, Database],
) -> None:
    client, _ = analytics_db
    tenant = new_id("t")
    db = await fresh_db(client)
    tiny = CountedUnitOfWork(client, db, page_bytes=1)

    taken = await ingest(enrolments(tenant, 1), tiny, Shanghai())

    assert (taken, tiny.committed) == (1, 1)
    assert await db[LOG].count_documents({"t": tenant}) == 1
