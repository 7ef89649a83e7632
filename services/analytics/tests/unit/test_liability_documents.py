"""The kept liability's documents: a batch's wallet changes added up per document, and
each touched document written once, a counter at zero left out and a document whose
counters all came back to zero deleted."""

from __future__ import annotations

from datetime import UTC, datetime

from pymongo import DeleteOne, InsertOne, ReplaceOne

from libs.mongo import Doc
from services.analytics.adapters.liability import (
    LiabilityCounts,
    day_key,
    instant_key,
    liability_writes,
    totals_key,
)
from services.analytics.domain.liability import WalletChange

SOON = datetime(2027, 1, 10, 8, 5, 30, 250_000, tzinfo=UTC)


def test_a_batchs_changes_add_up_per_document_with_the_days_minute() -> None:
    counts = LiabilityCounts()
    counts.add("t1", WalletChange(available=90, members=1, lots=((SOON, 90),)))
    counts.add("t1", WalletChange(available=-20, held=20, lots=((SOON, -20),)))

    changes, fields = counts.take()

    assert {key: dict(n) for key, n in changes.items()} == {
        totals_key("t1"): {"available": 70, "held": 20, "pending": 0, "members": 1},
        day_key("t1", "2027-01-10"): {"p": 70, "m0805": 70},
        instant_key("t1", SOON): {"p": 70},
    }
    assert fields[instant_key("t1", SOON)] == {"t": "t1", "k": "at", "at": SOON}
    assert counts.take() == ({}, {})


def test_each_document_is_inserted_replaced_or_deleted_once() -> None:
    day, gone, never = day_key("t1", "2027-01-10"), instant_key("t1", SOON), "t1|at|x"
    stored: dict[str, Doc] = {
        day: {"_id": day, "t": "t1", "k": "day", "d": "2027-01-10", "c": {"p": 30, "m0805": 30}},
        gone: {"_id": gone, "t": "t1", "k": "at", "at": SOON, "c": {"p": 30}},
    }
    changes = {
        day: {"p": -10, "m0805": -30, "m0900": 20},
        gone: {"p": -30},
        never: {"p": 0},
        totals_key("t1"): {"available": 5, "held": 0, "pending": 0, "members": 1},
    }
    fields = {never: {"t": "t1", "k": "at"}, totals_key("t1"): {"t": "t1", "k": "wallets"}}

    writes = liability_writes(changes, fields, stored)

    assert writes == [
        ReplaceOne({"_id": day}, {**stored[day], "c": {"p": 20, "m0900": 20}}),
        DeleteOne({"_id": gone}),
        InsertOne(
            {
                "_id": totals_key("t1"),
                "t": "t1",
                "k": "wallets",
                "c": {"available": 5, "members": 1},
            }
        ),
    ]
