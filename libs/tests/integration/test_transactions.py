"""run_in_transaction: all or nothing, and concurrent read-then-write loses no update."""

from __future__ import annotations

import asyncio

import pytest
from pymongo.errors import OperationFailure

from libs.errors import FailedPrecondition, TransactionTooLarge
from libs.mongo import Database, MongoClient, Session, run_in_transaction

WRITERS = 50


async def test_concurrent_read_then_write_increments_lose_no_update(
    mongo: MongoClient, db: Database
) -> None:
    await db.counters.insert_one({"_id": "hits", "n": 0})
    all_read = asyncio.Barrier(WRITERS)

    async def increment() -> None:
        first_attempt = True

        async def work(session: Session) -> None:
            nonlocal first_attempt
            counter = await db.counters.find_one({"_id": "hits"}, session=session)
            assert counter is not None
            if first_attempt:  # every writer has read the same value before any writes
                first_attempt = False
                await all_read.wait()
            await db.counters.update_one(
                {"_id": "hits"}, {"$set": {"n": counter["n"] + 1}}, session=session
            )

        await run_in_transaction(mongo, work)

    await asyncio.gather(*(increment() for _ in range(WRITERS)))

    assert await db.counters.find_one({"_id": "hits"}) == {"_id": "hits", "n": WRITERS}


async def test_an_exception_inside_the_work_aborts_everything_it_wrote(
    mongo: MongoClient, db: Database
) -> None:
    async def work(session: Session) -> None:
        await db.orders.insert_one({"_id": "o-1"}, session=session)
        await db.ledger.insert_many([{"order": "o-1"}, {"order": "o-1"}], session=session)
        raise FailedPrecondition("balance too low")

    with pytest.raises(FailedPrecondition):
        await run_in_transaction(mongo, work)

    assert await db.orders.count_documents({}) == 0
    assert await db.ledger.count_documents({}) == 0


async def test_a_refusal_is_not_retried(mongo: MongoClient, db: Database) -> None:
    runs = 0

    async def work(session: Session) -> None:
        nonlocal runs
        runs += 1
        raise FailedPrecondition("balance too low")

    with pytest.raises(FailedPrecondition):
        await run_in_transaction(mongo, work)

    assert runs == 1


async def test_the_work_result_is_returned_after_the_commit(
    mongo: MongoClient, db: Database
) -> None:
    async def work(session: Session) -> str:
        await db.orders.insert_one({"_id": "o-2"}, session=session)
        return "o-2"

    assert await run_in_transaction(mongo, work) == "o-2"
    assert await db.orders.find_one({"_id": "o-2"}) == {"_id": "o-2"}


@pytest.mark.parametrize("code", [334, 388])
async def test_a_unit_refused_as_too_large_is_not_retried_and_says_so(
    mongo: MongoClient, db: Database, code: int
) -> None:
    runs = 0

    async def work(session: Session) -> None:
        nonlocal runs
        runs += 1
        await db.pages.insert_one({"_id": f"p-{runs}"}, session=session)
        raise OperationFailure("Transaction is too large", code=code)

    with pytest.raises(TransactionTooLarge):
        await run_in_transaction(mongo, work)

    assert runs == 1
    assert await db.pages.count_documents({}) == 0
