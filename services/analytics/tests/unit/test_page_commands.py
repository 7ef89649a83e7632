"""Rewritten pages go to the database in commands of a bounded size, in order."""

from __future__ import annotations

from pymongo import InsertOne

from services.analytics.adapters.read_model import by_bytes


def test_writes_are_cut_into_runs_of_at_most_the_bytes_given_keeping_their_order() -> None:
    inserts = [InsertOne({"_id": i}) for i in range(6)]
    writes = list(zip([3, 4, 2, 9, 1, 1], inserts, strict=True))

    runs = by_bytes(writes, 7)

    at = {id(w): i for i, w in enumerate(inserts)}
    assert [[at[id(w)] for w in run] for run in runs] == [[0, 1], [2], [3], [4, 5]]


def test_no_writes_make_no_command() -> None:
    assert by_bytes([], 7) == []
