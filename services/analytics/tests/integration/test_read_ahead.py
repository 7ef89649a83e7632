"""The read model reads a batch's members ahead with one query, and reads a member again
once the batch's transaction changed it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import pytest

from libs.mongo import Database, make_client
from services.analytics.adapters.read_model import MEMBERS, MongoReadModel
from services.analytics.domain.buckets import SetTier


@pytest.fixture
async def db(mongo_url: str) -> AsyncIterator[Database]:
    client = make_client(mongo_url, app_name="analytics-read-ahead-tests")
    yield client[f"analytics_{uuid4().hex[:8]}"]
    await client.close()


async def member_reads(db: Database) -> int:
    """Finds on the read model's members so far (the server's `top` counters)."""
    totals = (await db.client.admin.command("top"))["totals"]
    return int(totals.get(f"{db.name}.{MEMBERS}", {}).get("queries", {}).get("count", 0))


async def test_a_batchs_members_are_read_with_one_query_and_again_after_a_change(
    db: Database,
) -> None:
    await db[MEMBERS].insert_many(
        [{"_id": f"t1:m{i}", "t": "t1", "m": f"m{i}", "tier": "silver"} for i in range(5)]
    )
    model = MongoReadModel(db, None)
    before = await member_reads(db)

    await model.prefetch([("t1", f"m{i}") for i in range(6)])
    states = [await model.member("t1", f"m{i}") for i in range(6)]

    assert await member_reads(db) - before == 1
    assert [s.tier if s else None for s in states] == ["silver"] * 5 + [None]
    await model.change_member("t1", "m0", SetTier("gold"))
    changed = await model.member("t1", "m0")
    assert changed is not None
    assert changed.tier == "gold"
    assert await member_reads(db) - before == 2
