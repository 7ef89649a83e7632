"""The liability kept at ingest through the real stream: a wallet seen before its member's
enrolment, a hold, a merge, an erasure, a transfer, an old snapshot delivered again and
a lot expired away; the report reads the running totals and the lots by expiry and gives
what summing every member's wallet gives (the computation it replaced), at instants on
both sides of noon and a millisecond either side of a lot's expiry, and the same after a
rebuild, one event a transaction or all in one batch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from nats.js import JetStreamContext

from libs.mongo import Database, Doc, MongoClient
from libs.timestamps import timestamp
from loyalty.analytics.v1 import analytics_pb2 as pb
from services.analytics.adapters.liability import LIABILITY
from services.analytics.adapters.reports import MongoReports
from services.analytics.adapters.repositories import MongoUnitOfWork
from services.analytics.adapters.zones import StoredTimeZones
from services.analytics.domain.reports import EXPIRY_WINDOWS, expiring_within
from services.analytics.entrypoints.events import parse_logged
from services.analytics.handlers.rebuild import rebuild
from services.analytics.tests.integration.feed import Feed, balance, line
from tests.support.polling import settled

AS_OF = datetime(2026, 11, 11, 4, 0, tzinfo=UTC)  # noon in Shanghai, morning in UTC
EVENING = AS_OF + timedelta(hours=15)
MS = timedelta(milliseconds=1)
IN_30, AT_30, IN_60, AT_90 = (
    AS_OF + MS,
    AS_OF + timedelta(days=30),
    AS_OF + timedelta(days=30) + MS,
    AS_OF + timedelta(days=90),
)
# a partial day's first and last millisecond
MIDNIGHT_30 = datetime(2026, 12, 11, tzinfo=UTC)
LAST_MS_60 = datetime(2027, 1, 11, tzinfo=UTC) - MS
INSTANTS = [AS_OF, EVENING, AS_OF - MS, AS_OF + MS, AS_OF + timedelta(hours=8), AS_OF + 2 * MS]


def at(minutes: int) -> datetime:
    return datetime(2026, 11, 10, 2, 0, tzinfo=UTC) + timedelta(minutes=minutes)


async def feed_wallets(js: JetStreamContext, tenant: str) -> None:
    feed = Feed(js, tenant)
    socks = [line("B", "socks", 1, "20.00")]
    # m4's points overtake its enrolment
    await feed.earned(
        "m4",
        at(1),
        "o4",
        where=("app", ""),
        total="20.00",
        lines=socks,
        after=balance(27, (20, AT_30), (7, LAST_MS_60)),
    )
    await feed.enrolled("m4", at(2), "app", "")
    await feed.enrolled("m1", at(3), "pos", "S1")
    first = await feed.earned(
        "m1",
        at(4),
        "o1",
        where=("pos", "S1"),
        total="100.00",
        lines=socks,
        after=balance(100, (100, IN_30)),
    )
    await feed.enrolled("m2", at(5), "pos", "S1")
    await feed.earned(
        "m2",
        at(6),
        "o2",
        where=("pos", "S1"),
        total="50.00",
        lines=socks,
        after=balance(55, (50, IN_60), (5, MIDNIGHT_30)),
    )
    await feed.held("m2", at(7), 30, balance(25, (50, IN_60), (5, MIDNIGHT_30), held=30))
    await feed.enrolled("m3", at(8), "pos", "S2")
    await feed.earned(
        "m3",
        at(9),
        "o3",
        where=("pos", "S2"),
        total="30.00",
        lines=socks,
        after=balance(30, (30, AT_90)),
    )
    await feed.merged("m1", "m3", at(10), balance(130, (100, IN_30), (30, AT_90)))
    await feed.erased("m2", at(11))
    after = (
        balance(120, (90, IN_30), (30, AT_90)),
        balance(37, (20, AT_30), (10, AS_OF), (7, LAST_MS_60)),
    )
    await feed.transferred("m1", "m4", at(12), 10, after)
    # m1's first wallet again, past the stream's duplicate check: only the inbox stops it
    await feed.publish("points.earned", first, msg_id=first.meta.event_id + "-again")
    await feed.expired("m4", at(13), 10, balance(27, (20, AT_30), (7, LAST_MS_60)))


async def liability(analytics: Any, tenant: str, as_of: datetime) -> Any:
    request = pb.GetPointsLiabilityRequest(tenant_id=tenant, as_of=timestamp(as_of))
    return await analytics.GetPointsLiability(request)


def figures(found: Any) -> tuple[tuple[int, ...], dict[int, int]]:
    totals = (found.available, found.held, found.pending, found.members)
    return totals, {e.days: e.points for e in found.expiring}


async def summed(
    db: Database, tenant: str, as_of: datetime
) -> tuple[tuple[int, ...], dict[int, int]]:
    """What one read of every member's wallet gives, as the report computed it before."""
    totals, lots = await MongoReports(db).wallets_and_lots(
        tenant, as_of, as_of + timedelta(days=max(EXPIRY_WINDOWS))
    )
    expiring = {n: expiring_within(lots, as_of, n) for n in EXPIRY_WINDOWS}
    return (totals.available, totals.held, totals.pending, totals.members), expiring


async def kept_documents(db: Database, tenant: str) -> list[Doc]:
    return sorted(
        [doc async for doc in db[LIABILITY].find({"t": tenant})], key=lambda d: str(d["_id"])
    )


async def test_the_kept_liability_is_what_summing_every_wallet_gives_by_hand_and_after_a_rebuild(
    analytics: Any,
    publisher: JetStreamContext,
    tenant: str,
    analytics_db: tuple[MongoClient, Database],
) -> None:
    await feed_wallets(publisher, tenant)
    client, db = analytics_db
    # the last event in: m4's lot at AS_OF expired away
    found = await settled(
        lambda: liability(analytics, tenant, AS_OF), lambda f: f.available == 172, within=60
    )

    # m1 120 (90 in a millisecond, 30 in exactly 90 days), m2 25 + 30 held (50 in 30 days
    # and a millisecond, 5 at midnight before 30 days are up), m3 0 after the merge, m4 27
    # (20 in exactly 30 days, 7 in the last millisecond of the 60th day after)
    assert figures(found) == ((172, 30, 0, 4), {30: 115, 60: 165, 90: 202})
    assert figures(await liability(analytics, tenant, EVENING)) == (
        (172, 30, 0, 4),
        {30: 75, 60: 75, 90: 112},
    )
    for instant in INSTANTS:
        assert figures(await liability(analytics, tenant, instant)) == await summed(
            db, tenant, instant
        ), instant
    kept = await kept_documents(db, tenant)
    assert all(any(doc["c"].values()) for doc in kept)  # nothing kept at zero: AS_OF's lot left
    assert AS_OF not in [doc.get("at") for doc in kept]

    uow, zones = MongoUnitOfWork(client, db), StoredTimeZones(db)
    await rebuild(uow, parse_logged, zones, page=1)
    one_at_a_time = await kept_documents(db, tenant)
    await rebuild(uow, parse_logged, zones, page=500)
    one_batch = await kept_documents(db, tenant)

    assert one_at_a_time == one_batch == kept
    for instant in INSTANTS:
        assert figures(await liability(analytics, tenant, instant)) == await summed(
            db, tenant, instant
        ), instant
