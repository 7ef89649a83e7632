"""The liability kept at ingest (domain/liability.py) in its own collection, `liability`:
per tenant one document of running wallet totals, one per day lots expire on (its
points `p` and its minutes' `mHHMM`) and one per instant they expire at, each holding its
counters in `c`. A batch adds its wallets'
changes up in memory; the read model's flush writes each document it touched once, in
the batch's transaction, and deletes one whose counters all came back to zero (a lot
spent or expired leaves nothing behind)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from pymongo import DeleteOne, InsertOne, ReplaceOne

from libs.mongo import Database, Doc
from services.analytics.domain.liability import WalletChange, expiry_day, expiry_minute
from services.analytics.domain.ports import Totals

LIABILITY = "liability"
WALLETS, DAY, INSTANT = "wallets", "day", "at"
TOTALS = ("available", "held", "pending", "members")
POINTS, MINUTE = "p", "m"  # a day's or instant's points; a day's minute's: mHHMM
# The indexes the reads walk (repositories.ensure_indexes): days by range, instants by range.
DAY_INDEX = ("t", "k", "d")
INSTANT_INDEX = ("t", "k", "at")

Write = InsertOne[Doc] | ReplaceOne[Doc] | DeleteOne


def totals_key(tenant_id: str) -> str:
    return f"{tenant_id}|{WALLETS}"


def day_key(tenant_id: str, day: str) -> str:
    return f"{tenant_id}|{DAY}|{day}"


def instant_key(tenant_id: str, at: datetime) -> str:
    return f"{tenant_id}|{INSTANT}|{at.isoformat(timespec='milliseconds')}"


class LiabilityCounts:
    """The liability's changes of the batches since the last write, by document."""

    def __init__(self) -> None:
        self._counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self._fields: dict[str, Doc] = {}  # what each document is, if new

    def add(self, tenant_id: str, change: WalletChange) -> None:
        totals = totals_key(tenant_id)
        self._fields.setdefault(totals, {"t": tenant_id, "k": WALLETS})
        for name in TOTALS:
            self._counts[totals][name] += getattr(change, name)
        for at, points in change.lots:
            day, minute = expiry_day(at), f"{MINUTE}{expiry_minute(at)}"
            fields = {"t": tenant_id, "k": DAY, "d": day}
            self._count(day_key(tenant_id, day), fields, points, minute)
            self._count(
                instant_key(tenant_id, at), {"t": tenant_id, "k": INSTANT, "at": at}, points
            )

    def _count(self, key: str, fields: Doc, points: int, *also: str) -> None:
        self._fields.setdefault(key, fields)
        for name in (POINTS, *also):
            self._counts[key][name] += points

    def take(self) -> tuple[dict[str, dict[str, int]], dict[str, Doc]]:
        """The changes so far, by document, and what each is; the counts start again."""
        taken = self._counts, self._fields
        self._counts, self._fields = defaultdict(lambda: defaultdict(int)), {}
        return taken


def liability_writes(
    counts: dict[str, dict[str, int]], fields: dict[str, Doc], stored: dict[str, Doc]
) -> list[Write]:
    """Each touched document written once: inserted, replaced with its new counters (a
    counter at zero left out), or deleted (or never inserted) when every one is zero."""
    writes: list[Write] = []
    for key, changes in counts.items():
        doc = stored.get(key)
        kept = dict(doc.get("c") or {}) if doc is not None else {}
        for name, n in changes.items():
            kept[name] = int(kept.get(name, 0)) + n
        kept = {name: n for name, n in kept.items() if n}
        if not kept:
            if doc is not None:
                writes.append(DeleteOne({"_id": key}))
        elif doc is not None:
            writes.append(ReplaceOne({"_id": key}, {**doc, "c": kept}))
        else:
            writes.append(InsertOne({"_id": key, **fields[key], "c": kept}))
    return writes


async def wallet_totals(db: Database, tenant_id: str) -> Totals:
    doc = await db[LIABILITY].find_one({"_id": totals_key(tenant_id)})
    kept = dict((doc or {}).get("c") or {})
    return Totals(*(int(kept.get(name, 0)) for name in TOTALS))


async def points_by_day(db: Database, tenant_id: str, from_day: str, to_day: str) -> dict[str, int]:
    query = {"t": tenant_id, "k": DAY, "d": {"$gte": from_day, "$lte": to_day}}
    cursor = db[LIABILITY].find(query, {"_id": 0, "d": 1, f"c.{POINTS}": 1})
    return {doc["d"]: int(doc["c"].get(POINTS, 0)) async for doc in cursor}


async def points_by_minute(
    db: Database, tenant_id: str, days: Sequence[str]
) -> dict[str, dict[str, int]]:
    """The days' points by minute (HHMM) of expiry; a day with none is left out."""
    query = {"_id": {"$in": [day_key(tenant_id, day) for day in days]}}
    cursor = db[LIABILITY].find(query, {"_id": 0, "d": 1, "c": 1})
    return {
        doc["d"]: {
            name.removeprefix(MINUTE): int(n)
            for name, n in dict(doc["c"]).items()
            if name.startswith(MINUTE)
        }
        async for doc in cursor
    }


async def points_between(db: Database, tenant_id: str, start: datetime, end: datetime) -> int:
    """The points of the lots expiring from `start` to `end`, both included."""
    query = {"t": tenant_id, "k": INSTANT, "at": {"$gte": start, "$lte": end}}
    cursor = db[LIABILITY].find(query, {"_id": 0, "c": 1})
    return sum([int(doc["c"].get(POINTS, 0)) async for doc in cursor])
