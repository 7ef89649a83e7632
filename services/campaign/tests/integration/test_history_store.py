"""The purchase history and segments over real MongoDB: a merge moves a member's history to
the survivor, an erasure leaves a tombstone no late event undoes, stale segments are
leased to one replica at a time, and an RFM cell's segment holds the cell's members."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import cast
from uuid import uuid4

import pytest
from nats.aio.msg import Msg

from libs.mongo import Database, MongoClient, make_client
from libs.rfm_scores import cell_rules
from libs.timestamps import timestamp
from loyalty.common.v1.common_pb2 import EventMeta
from loyalty.member.v1 import events_pb2 as member_pb
from services.campaign.campaigns.adapters.audience_cache import CachedAudience
from services.campaign.campaigns.adapters.history import (
    FACTS,
    PURCHASES,
    SEGMENT_MEMBERS,
    HistoryWriter,
    ensure_history_indexes,
)
from services.campaign.campaigns.adapters.members_reached import (
    ensure_reached_indexes,
    mark_reached,
    members_reached,
    members_reached_by_day,
)
from services.campaign.campaigns.adapters.segments import MongoSegments, ensure_segment_indexes
from services.campaign.campaigns.domain.history import MemberFacts, OrderRecord, RecordedLine
from services.campaign.campaigns.domain.segments import Segment, SegmentRules
from services.campaign.campaigns.entrypoints.consumers.history import (
    MEMBERS_CONSUMER,
    HistoryHandler,
    member_claims_itself,
    member_work,
)

NOW = datetime.now(UTC)


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[Database]:
    client: MongoClient = make_client(mongo_url, app_name="history-tests")
    database = client[f"campaign_{uuid4().hex[:8]}"]
    await ensure_history_indexes(database)
    await ensure_segment_indexes(database)
    yield database
    await client.close()


def an_order(member_id: str, days_ago: int, cents: int) -> OrderRecord:
    line = RecordedLine("SKU", "shoes", 1, Decimal(cents) / 100, cents // 100)
    return OrderRecord(
        "t1",
        f"o-{uuid4().hex}",
        member_id,
        NOW - timedelta(days=days_ago),
        "pos",
        "S001",
        "CNY",
        cents,
        cents // 100,
        (line,),
    )


async def test_a_merge_gives_the_survivor_the_merged_members_orders_and_figures(
    db: Database,
) -> None:
    writer = HistoryWriter(db, None)
    await writer.record_order(an_order("old", 20, 10000))
    await writer.record_order(an_order("new", 5, 2500))
    await writer.record_order(an_order("old", 2, 5000))

    await writer.merged("t1", "new", "old")

    survivor = await writer.facts("t1", "new")
    assert survivor is not None
    assert (survivor.orders, survivor.spend_cents) == (3, 17500)
    assert survivor.first_purchase_at is not None
    assert survivor.first_purchase_at < NOW - timedelta(days=19)
    assert await writer.facts("t1", "old") is None
    assert await db[PURCHASES].count_documents({"member_id": "new"}) == 3


async def test_an_erased_member_leaves_segments_and_no_late_event_brings_them_back(
    db: Database,
) -> None:
    writer = HistoryWriter(db, None)
    await writer.record_order(an_order("m1", 3, 9900))
    await db[SEGMENT_MEMBERS].insert_one(
        {"_id": "seg:m1", "tenant_id": "t1", "segment_id": "seg", "member_id": "m1"}
    )

    await writer.erased("t1", "m1", NOW)
    await writer.enrolled(MemberFacts("t1", "m1", channel="pos", consents={"marketing": True}))
    late = await writer.record_order(an_order("m1", 0, 100))

    assert late is False
    assert await writer.facts("t1", "m1") is None
    tombstone = await db[FACTS].find_one({"_id": "t1:m1"})
    assert tombstone is not None
    assert set(tombstone) == {"_id", "tenant_id", "member_id", "erased", "at"}
    [kept] = await db[PURCHASES].find({"member_id": "m1"}).to_list()
    assert (kept["total_cents"], kept["lines"]) == (9900, [])
    assert await db[SEGMENT_MEMBERS].count_documents({"member_id": "m1"}) == 0


async def test_a_stale_segment_is_leased_to_one_replica_and_refreshed(db: Database) -> None:
    segments = MongoSegments(db)
    writer = HistoryWriter(db, None)
    await writer.record_order(an_order("m1", 1, 100000))
    await writer.record_order(an_order("m2", 40, 100000))
    rules = SegmentRules(recency_days=7)
    await segments.add(Segment(f"seg-{uuid4().hex}", "t1", "Recent", rules, NOW, NOW))

    claimed = await segments.claim_stale(NOW, timedelta(minutes=15))
    other_replica = await segments.claim_stale(NOW, timedelta(minutes=15))
    assert claimed is not None
    size = await segments.materialise(claimed, NOW)

    assert other_replica is None
    assert size == 1
    assert await segments.member_ids("t1", claimed.segment_id) == frozenset({"m1"})
    refreshed = await segments.get("t1", claimed.segment_id)
    assert refreshed is not None
    assert (refreshed.size, refreshed.refreshed_at is not None) == (1, True)
    later = NOW + timedelta(minutes=20)
    assert await segments.claim_stale(later, timedelta(minutes=15)) is not None


async def test_a_segments_members_are_read_a_page_at_a_time_in_id_order(db: Database) -> None:
    segments = MongoSegments(db)
    writer = HistoryWriter(db, None)
    for member_id in ("m3", "m1", "m4", "m2", "m5"):
        await writer.enrolled(MemberFacts("t1", member_id))
    await writer.enrolled(MemberFacts("t2", "other"))
    segment = Segment(f"seg-{uuid4().hex}", "t1", "All", SegmentRules(), NOW, NOW)
    await segments.add(segment)
    await segments.materialise(segment, NOW)

    first = await segments.member_page("t1", segment.segment_id, "", 2)
    second = await segments.member_page("t1", segment.segment_id, first[-1], 2)
    rest = await segments.member_page("t1", segment.segment_id, second[-1], 10)
    elsewhere = await segments.member_page("t2", segment.segment_id, "", 10)

    assert (list(first), list(second), list(rest)) == (["m1", "m2"], ["m3", "m4"], ["m5"])
    assert list(elsewhere) == []


async def test_an_rfm_cells_segment_holds_its_members_and_not_those_who_refused_profiling(
    db: Database,
) -> None:
    segments = MongoSegments(db)
    writer = HistoryWriter(db, None)
    await writer.enrolled(MemberFacts("t1", "refused", consents={"profiling": False}))
    await writer.enrolled(MemberFacts("t1", "agreed", consents={"profiling": True}))
    bought = {
        "agreed": [(2, 15000), (10, 15000), (20, 15000)],  # R5 F3 M3
        "at-300": [(2, 10000), (3, 10000), (4, 10000)],  # R5 F3 M3: 300.00 is M3's floor
        "refused": [(1, 15000), (2, 15000), (3, 15000)],  # R5 F3 M3, but refused profiling
        "at-299.99": [(2, 9999), (3, 10000), (4, 10000)],  # M2
        "older": [(10, 15000), (20, 15000), (40, 15000)],  # R4
        "often": [(1, 3000), (2, 3000), (3, 3000), (4, 3000), (5, 30000)],  # F4
        "last-year": [(1, 20000), (2, 20000), (400, 20000)],  # F2 in the window
    }
    for member_id, orders in bought.items():
        for days_ago, cents in orders:
            await writer.record_order(an_order(member_id, days_ago, cents))
    cell = cell_rules(5, 3, 3, 365)
    assert cell.min_spend_cents is not None
    assert cell.max_spend_cents is not None
    rules = SegmentRules(
        profiling_consent=True,
        recency_days=cell.recency_days,
        min_days_since_purchase=cell.min_days_since_purchase,
        window_days=cell.window_days,
        min_orders=cell.min_orders,
        max_orders=cell.max_orders,
        min_spend=Decimal(cell.min_spend_cents).scaleb(-2),
        max_spend=Decimal(cell.max_spend_cents).scaleb(-2),
    )
    segment = Segment(f"seg-{uuid4().hex}", "t1", "RFM R5 F3 M3", rules, NOW, NOW)
    await segments.add(segment)

    size = await segments.materialise(segment, NOW)

    assert await segments.member_ids("t1", segment.segment_id) == {"agreed", "at-300"}
    assert size == 2
    stored = await segments.get("t1", segment.segment_id)
    assert stored is not None
    assert stored.rules == rules


async def test_a_withdrawn_consent_replaces_the_one_given_at_enrolment(db: Database) -> None:
    writer = HistoryWriter(db, None)
    await writer.enrolled(MemberFacts("t1", "m1", channel="app", consents={"marketing": True}))

    await writer.consents_changed("t1", "m1", {"marketing": False, "profiling": True})

    facts = await writer.facts("t1", "m1")
    assert facts is not None
    assert facts.marketing_consent is False
    assert facts.consents == {"marketing": False, "profiling": True}


async def test_a_members_marketing_consent_counts_as_soon_as_it_is_known_and_stops_at_once(
    db: Database,
) -> None:
    writer = HistoryWriter(db, None)
    audience = CachedAudience(MongoSegments(db), lambda: NOW)
    await writer.enrolled(MemberFacts("t1", "early", consents={"marketing": True}))
    early = await audience.member_audience("t1", "early", frozenset(), consent=True)

    await writer.enrolled(MemberFacts("t1", "late", consents={"marketing": True}))
    await writer.enrolled(MemberFacts("t1", "silent", consents={"marketing": False}))
    late = await audience.member_audience("t1", "late", frozenset(), consent=True)
    silent = await audience.member_audience("t1", "silent", frozenset(), consent=True)

    assert (early.marketing_consent, late.marketing_consent) == (True, True)
    assert silent.marketing_consent is False
    await writer.consents_changed("t1", "early", {"marketing": False})
    withdrawn = await audience.member_audience("t1", "early", frozenset(), consent=True)
    assert withdrawn.marketing_consent is False


async def test_the_campaigns_that_reached_a_member_pass_to_the_survivor_and_outlive_erasure(
    db: Database,
) -> None:
    await mark_reached(db, None, "t1", "old", ["c1", "c2"])
    await mark_reached(db, None, "t1", "new", ["c2"])
    await mark_reached(db, None, "t1", "gone", ["c1"])
    writer = HistoryWriter(db, None)

    await writer.merged("t1", "new", "old")
    await writer.erased("t1", "gone", NOW)

    reached = [await members_reached(db, "t1", c) for c in ("c1", "c2")]
    assert reached == [2, 1]  # "new" (from "old") and the erased "gone"; "new" once


async def test_the_day_a_campaign_first_reached_a_member_is_the_earliest_and_survives_a_merge(
    db: Database,
) -> None:
    writer = HistoryWriter(db, None)
    await writer.record_earned(an_order("old", 3, 1000), "e1", ["c1"], "2026-11-20")
    await mark_reached(db, None, "t1", "old", ["c1"], day="2026-11-22")  # a later grant
    await mark_reached(db, None, "t1", "new", ["c1", "c2"], day="2026-11-21")
    await mark_reached(db, None, "t1", "gone", ["c2"], day="2026-11-23")

    await writer.merged("t1", "new", "old")
    await writer.erased("t1", "gone", NOW)

    c1 = await members_reached_by_day(db, "t1", "c1")
    c2 = await members_reached_by_day(db, "t1", "c2")
    assert c1 == {"2026-11-20": 1}  # "new" took "old"'s earlier day; one member
    assert c2 == {"2026-11-21": 1, "2026-11-23": 1}  # the erased "gone" still counts
    assert sum(c1.values()) == await members_reached(db, "t1", "c1")
    assert sum(c2.values()) == await members_reached(db, "t1", "c2")


async def test_members_reached_counted_in_slots_before_are_copied_to_the_facts_once(
    db: Database,
) -> None:
    await db["campaigns"].insert_one({"_id": "c9", "tenant_id": "t1"})
    slots = [
        {"_id": f"c9:m{i}", "campaign_id": "c9", "member_id": f"m{i}", "granted": i}
        for i in range(3)
    ]
    await db["campaign_member_grants"].insert_many(slots)

    await ensure_reached_indexes(db)
    await ensure_reached_indexes(db)

    assert await members_reached(db, "t1", "c9") == 2  # m0 was never granted anything


async def test_a_tier_change_redelivered_after_a_newer_one_changes_nothing_and_needs_no_inbox_row(
    db: Database,
) -> None:
    def changed(event_id: str, to_tier: str, at: datetime) -> Msg:
        event = member_pb.MemberTierChanged(
            meta=EventMeta(event_id=event_id, tenant_id="t1", occurred_at=timestamp(at)),
            member_id="m1",
            from_tier="member",
            to_tier=to_tier,
        )
        message = SimpleNamespace(
            subject="loyalty.t1.member.tier_changed", data=event.SerializeToString()
        )
        return cast(Msg, message)

    handler = HistoryHandler(
        db.client, db, MEMBERS_CONSUMER, member_work, claims_itself=member_claims_itself
    )
    gold, silver = (
        changed("ev-gold", "gold", NOW),
        changed("ev-silver", "silver", NOW + timedelta(1)),
    )

    await handler.batch([gold])
    await handler.batch([silver])
    await handler.batch([gold])  # its ack was lost: delivered again, after the newer change

    facts = await HistoryWriter(db, None).facts("t1", "m1")
    assert facts is not None
    assert facts.tier_code == "silver"
    assert await db["inbox"].count_documents({}) == 0
