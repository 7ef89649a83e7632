"""The read model reads a batch's members ahead with one query, keeps them in memory as
the batch changes them, and writes the batch's changes when it is flushed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from libs.mongo import Database, Doc, make_client
from services.analytics.adapters.read_model import MEMBERS, ORDERS, MongoReadModel, member_update
from services.analytics.adapters.updates import apply_update
from services.analytics.domain.buckets import (
    AddPurchase,
    AddReturn,
    AddReward,
    Enrol,
    MarkErased,
    MarkMerged,
    MemberOp,
    SetProfiling,
    SetTier,
    SetWallet,
)
from services.analytics.domain.facts import Lot, Wallet


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[Database]:
    client = make_client(mongo_url, app_name="analytics-read-ahead-tests")
    yield client[f"analytics_{uuid4().hex[:8]}"]
    await client.close()


async def member_reads(db: Database) -> int:
    """Finds on the read model's members so far (the server's `top` counters)."""
    totals = (await db.client.admin.command("top"))["totals"]
    return int(totals.get(f"{db.name}.{MEMBERS}", {}).get("queries", {}).get("count", 0))


async def commands(db: Database, collection: str, kind: str) -> int:
    """Commands of a kind ("queries", "update", ...) on a collection so far (`top`)."""
    totals = (await db.client.admin.command("top"))["totals"]
    return int(totals.get(f"{db.name}.{collection}", {}).get(kind, {}).get("count", 0))


async def test_a_batchs_members_are_read_with_one_query_and_kept_as_it_changes_them(
    db: Database,
) -> None:
    await db[MEMBERS].insert_many(
        [{"_id": f"t1:m{i}", "t": "t1", "m": f"m{i}", "tier": "silver"} for i in range(5)]
    )
    model = MongoReadModel(db, None)
    before = await member_reads(db)

    await model.prefetch([("t1", f"m{i}") for i in range(6)])
    states = [await model.member("t1", f"m{i}") for i in range(6)]
    await model.change_member("t1", "m0", SetTier("gold"))
    await model.change_member("t1", "m5", Enrol("member", "2026-11-10"))
    changed, enrolled = await model.member("t1", "m0"), await model.member("t1", "m5")

    assert await member_reads(db) - before == 1
    assert [s.tier if s else None for s in states] == ["silver"] * 5 + [None]
    assert changed is not None
    assert changed.tier == "gold"
    assert enrolled is not None
    assert (enrolled.member_id, enrolled.tier, enrolled.since) == ("m5", "member", "2026-11-10")
    assert await db[MEMBERS].find_one({"_id": "t1:m5"}) is None  # not written before flush


async def test_a_flush_inserts_the_members_a_batch_created_and_replaces_those_it_changed(
    db: Database,
) -> None:
    first = MongoReadModel(db, None)
    await first.change_member("t1", "m1", Enrol("member", "2026-11-10"))
    for n in range(3):
        day = f"2026-11-1{n}"
        await first.change_member("t1", "m1", AddPurchase(day, "S1", "pos", 1000 * (n + 1)))
        await first.remember_order("t1", f"o{n}", "member")
    seen = await first.order_tier("t1", "o1")
    before = {kind: await commands(db, MEMBERS, kind) for kind in ("insert", "update")}
    await first.flush()
    second = MongoReadModel(db, None)
    await second.change_member("t1", "m1", AddPurchase("2026-11-13", "S2", "app", 500))
    await second.change_member("t1", "m1", SetTier("gold"))
    await second.flush()
    after = {kind: await commands(db, MEMBERS, kind) for kind in ("insert", "update")}

    assert seen == "member"  # remembered in this batch, not yet written
    assert {kind: after[kind] - before[kind] for kind in after} == {"insert": 1, "update": 1}
    stored = await db[MEMBERS].find_one({"_id": "t1:m1"})
    assert stored is not None
    assert (stored["m"], stored["since"], stored["tier"], len(stored["buys"])) == (
        "m1",
        "2026-11-10",
        "gold",
        4,
    )
    assert stored["g"] == {
        "2026-11-10": 1000,
        "2026-11-11": 2000,
        "2026-11-12": 3000,
        "2026-11-13": 500,
    }
    assert await db[ORDERS].count_documents({}) == 3


LOT = Lot(30, datetime(2027, 1, 1, tzinfo=UTC))
OPS: list[MemberOp] = [
    Enrol("member", "2026-11-10", refuses_profiling=True),
    AddPurchase("2026-11-10", "S1", "pos", 1000),
    AddPurchase("2026-11-10", "S1", "pos", 2500),  # the same day, store and channel again
    AddPurchase("2026-11-11", "", "app", 700),
    AddReturn("2026-11-10", 400),
    AddReturn("2026-11-12", 100),
    AddReward("c1", "2026-11-11"),
    AddReward("c1", "2026-11-11"),
    SetTier("gold"),
    SetProfiling(False),
    SetWallet(Wallet(30, 5, 2, (LOT,))),
    SetWallet(Wallet(0)),
    MarkMerged("m9"),
    MarkErased(),
]


async def test_a_member_in_memory_is_what_the_database_makes_of_the_same_updates(
    db: Database,
) -> None:
    updates = [member_update(op) for op in OPS]
    taken = {
        "$addToSet": {
            "buys": {
                "$each": [
                    {"d": "2026-11-10", "s": "S1", "c": "pos"},
                    {"d": "2026-11-09", "s": "S3", "c": "pos"},
                ]
                * 2
            },
            "rw": {"$each": [{"c": "c2", "d": "2026-11-01"}]},
        },
        "$inc": {"o.2026-11-10": 1, "g.2026-11-09": 300, "r.2026-11-12": 50},
    }
    in_memory: Doc = {"_id": "t1:m1"}

    for n, made in enumerate([*updates, taken]):
        assert made is not None
        update = {**made, "$setOnInsert": {"t": "t1", "m": "m1"}}
        await db[MEMBERS].update_one({"_id": "t1:m1"}, update, upsert=True)
        apply_update(in_memory, update, inserting=n == 0)

    assert in_memory == await db[MEMBERS].find_one({"_id": "t1:m1"})
