"""The read model reads a batch's members ahead with one query, keeps them in memory as
the batch changes them, and writes the batch's changes when it is flushed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import pytest

from libs.mongo import Database, make_client
from services.analytics.adapters.read_model import MEMBERS, ORDERS, MongoReadModel
from services.analytics.domain.buckets import AddPurchase, Enrol, SetTier


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


async def test_a_flush_writes_the_batchs_member_and_order_changes_one_write_a_collection(
    db: Database,
) -> None:
    model = MongoReadModel(db, None)
    writes_before = await commands(db, MEMBERS, "update"), await commands(db, ORDERS, "update")

    await model.change_member("t1", "m1", Enrol("member", "2026-11-10"))
    for n in range(3):
        day = f"2026-11-1{n}"
        await model.change_member("t1", "m1", AddPurchase(day, "S1", "pos", 1000 * (n + 1)))
        await model.remember_order("t1", f"o{n}", "member")
    seen = await model.order_tier("t1", "o1")
    await model.flush()
    writes_after = await commands(db, MEMBERS, "update"), await commands(db, ORDERS, "update")

    assert seen == "member"  # remembered in this batch, not yet written
    assert (writes_after[0] - writes_before[0], writes_after[1] - writes_before[1]) == (1, 1)
    stored = await db[MEMBERS].find_one({"_id": "t1:m1"})
    assert stored is not None
    assert (stored["m"], stored["since"], stored["g"]) == (
        "m1",
        "2026-11-10",
        {"2026-11-10": 1000, "2026-11-11": 2000, "2026-11-12": 3000},
    )
    assert len(stored["buys"]) == 3
    assert await db[ORDERS].count_documents({}) == 3
