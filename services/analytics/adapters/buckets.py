"""The buckets' documents: one per tenant, kind and day, and one per tenant, kind and
month (the sum of its days), each holding every combination of dimensions its period
counted as a row, `r.<key>`: the combination encoded as one field name → its counters.

A range's figure is whole months read from months and the days at its ends from days
(`bucket_sums.py`), so a year of any kind is a few dozen documents whatever the
members, stores and SKUs. Some kinds are also kept rolled up, summed over fewer
dimensions (`ROLL_UPS`, a document's `v`), for the reads that need no others: a year
of the lines by SKU is then a few thousand rows, not one per store, channel, tier and
SKU; a store's lines by SKU are in documents of their own. A period whose rows would
outgrow a document is split into 2, 4, 8… parts, a row always in the part its key's
hash gives (`part_of`), every part read by the same index walk. Everything here but
the two database calls is pure (unit-tested).
"""

from __future__ import annotations

import zlib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import product
from urllib.parse import quote, unquote

from pymongo import InsertOne, ReplaceOne

from libs.mongo import Database, Doc, Session
from services.analytics.domain.buckets import Dims, Increment

BUCKETS = "buckets"
DAY, MONTH = "d", "m"  # a document's period: `g` says which, `d` is YYYY-MM-DD or YYYY-MM
# The buckets' index (repositories.ensure_indexes): equalities, then the one range on d.
BUCKET_INDEX = ("t", "k", "v", "g", "d")


@dataclass(frozen=True)
class RollUp:
    """A kind's rows also kept summed over every dimension but `dims`; with `apart`, each
    value (each combination of values, for several dimensions) in documents of its own,
    so a read filtered by them reads only the documents of the values it asks for."""

    dims: tuple[str, ...]
    apart: tuple[str, ...] = ()
    # Whether rows without an `apart` dimension are kept too (in the `!` view): a read
    # filtered by it never asks for them, so a roll-up only such reads need leaves them out.
    keeps_none: bool = True

    @property
    def name(self) -> str:
        return ",".join(self.dims)


# The lines by category and SKU (the sales report's), and by store, category and SKU
# with each store apart (a store manager's), by channel and by tier likewise (the sales
# report filtered by a channel or a tier); filtered by two or three of them at once, each
# combination of the filtered values apart: by channel and tier; by store and channel;
# and by every dimension with each store and tier apart (a store and a tier, or all three,
# the channel filtered among a store's few). Only rows holding every `apart` dimension
# are kept in those three (no filter asks for the others).
ROLL_UPS: dict[str, tuple[RollUp, ...]] = {
    "lines": (
        RollUp(("category", "sku")),
        RollUp(("store_id", "category", "sku"), apart=("store_id",)),
        RollUp(("channel", "category", "sku"), apart=("channel",)),
        RollUp(("tier", "category", "sku"), apart=("tier",)),
        RollUp(("channel", "tier", "category", "sku"), ("channel", "tier"), keeps_none=False),
        RollUp(
            ("store_id", "channel", "category", "sku"), ("store_id", "channel"), keeps_none=False
        ),
        RollUp(
            ("store_id", "channel", "tier", "category", "sku"),
            ("store_id", "tier"),
            keeps_none=False,
        ),
    ),
}
FULL = ""  # the view of every dimension
# The kinds whose rows also count the increments added in them, `entries`: a range's row
# summed from opening balances (adapters/running.py) is in the range when they are.
ENTRIES = "entries"
ENTRIES_KINDS = frozenset({"lines"})
# A part is kept under this estimated size (its rows' upper bound in BSON): well under
# the 16 MB a document may hold, and small enough to rewrite for every batch.
PART_BYTES = 2_000_000
NO_DIMS = "_"  # the key of a combination of no dimensions (a field name is never empty)
# Bucket documents written (or read by id) in one command: few enough bytes to answer
# within the client's socket timeout on a loaded server.
DOCS_A_COMMAND = 500
BYTES_A_COMMAND = 8_000_000

Rows = dict[str, dict[str, int]]


@dataclass(frozen=True)
class Period:
    tenant_id: str
    kind: str
    level: str  # DAY or MONTH
    period: str  # YYYY-MM-DD or YYYY-MM
    view: str = FULL  # or a roll-up's (its dimensions, and its apart value if it has one)


def apart_view(roll_up: RollUp, escaped: Sequence[str] | None) -> str:
    """The view of a roll-up's rows whose `apart` dimensions have these (escaped) values,
    or lack one (None): `name@value` (`name@value@value` for two)."""
    if escaped is None:
        return f"{roll_up.name}!"
    return "@".join((roll_up.name, *escaped))


def views_for(
    kind: str, grouped: Collection[str], filtered: Mapping[str, Collection[str]]
) -> list[str]:
    """The views a sum grouped and filtered by these dimensions reads: of the smallest
    roll-up holding them all (with its `apart` dimension filtered, only the documents of
    the values asked for), else every dimension's."""
    needed = {*grouped, *filtered}
    for roll_up in sorted(ROLL_UPS.get(kind, ()), key=lambda r: len(r.dims)):
        if not needed <= set(roll_up.dims):
            continue
        if not roll_up.apart:
            return [roll_up.name]
        values = [filtered.get(dim) for dim in roll_up.apart]
        if all(value is not None for value in values):
            combinations = product(*(sorted(value or ()) for value in values))
            return [apart_view(roll_up, [_escape(v) for v in combo]) for combo in combinations]
    return [FULL]


def _escape(text: str) -> str:
    # quote leaves "." alone, which a field name may not hold
    return quote(text, safe="").replace(".", "%2E")


def row_key(dims: Dims) -> str:
    """A combination of dimensions as a field name: `name=value|…`, each escaped, so no
    `.`, `$`, `|` or `=` of a value reaches the name."""
    if not dims:
        return NO_DIMS
    return "|".join(f"{_escape(name)}={_escape(value)}" for name, value in dims)


def row_dims(key: str) -> dict[str, str]:
    if key == NO_DIMS:
        return {}
    pairs = (pair.split("=", 1) for pair in key.split("|"))
    return {unquote(name): unquote(value) for name, value in pairs}


def add_rows(into: Rows, rows: Mapping[str, Mapping[str, int]]) -> None:
    for key, counts in rows.items():
        row = into.get(key)
        if row is None:
            into[key] = dict(counts)
            continue
        for name, n in counts.items():
            row[name] = row.get(name, 0) + n


def month_of(day: str) -> str:
    return day[:7]


def rolled_up(rows: Rows, dims: Sequence[str]) -> Rows:
    """The rows summed over every dimension but `dims` (a row keeps those it has)."""
    kept = {_escape(name) for name in dims}
    projected: dict[str, str] = {}
    summed: Rows = {}
    for key, counts in rows.items():
        into = projected.get(key)
        if into is None:
            pairs = [] if key == NO_DIMS else key.split("|")
            mine = [pair for pair in pairs if pair.partition("=")[0] in kept]
            into = projected[key] = "|".join(mine) or NO_DIMS
        add_rows(summed, {into: counts})
    return summed


def views_of(kind: str, rows: Rows) -> list[tuple[str, Rows]]:
    """The rows of every view of the kind: all of them, and each roll-up's."""
    views: list[tuple[str, Rows]] = [(FULL, rows)]
    for roll_up in ROLL_UPS.get(kind, ()):
        summed = rolled_up(rows, roll_up.dims)
        if not roll_up.apart:
            views.append((roll_up.name, summed))
            continue
        apart: dict[str, Rows] = {}
        names = [_escape(dim) for dim in roll_up.apart]
        for key, counts in summed.items():
            values = [_value_in(key, name) for name in names]
            held = [value for value in values if value is not None]
            if len(held) < len(values) and not roll_up.keeps_none:
                continue
            view = apart_view(roll_up, held if len(held) == len(values) else None)
            apart.setdefault(view, {})[key] = counts
        views += apart.items()
    return views


def _value_in(key: str, escaped_name: str) -> str | None:
    for pair in key.split("|"):
        name, _, value = pair.partition("=")
        if name == escaped_name:
            return value
    return None


def periods_of(days: Mapping[Period, Rows]) -> dict[Period, Rows]:
    """Each day's rows, each month's (the sum of its days'), and each of their views."""
    periods: dict[Period, Rows] = {}
    for day, rows in days.items():
        month = Period(day.tenant_id, day.kind, MONTH, month_of(day.period))
        for view, viewed in views_of(day.kind, rows):
            for period in (day, month):
                add_rows(periods.setdefault(replace(period, view=view), {}), viewed)
    return periods


class BucketCounts:
    """Increments added up in memory per tenant, kind and day until they are written."""

    def __init__(self) -> None:
        self._days: dict[Period, Rows] = {}

    def add(self, tenant_id: str, increments: Iterable[Increment]) -> None:
        for inc in increments:
            day = Period(tenant_id, inc.kind.value, DAY, inc.day)
            rows = self._days.get(day)
            if rows is None:
                rows = self._days[day] = {}
            counts = dict(inc.counts)
            if day.kind in ENTRIES_KINDS:
                counts[ENTRIES] = counts.get(ENTRIES, 0) + 1
            add_rows(rows, {row_key(inc.dims): counts})

    def take(self) -> dict[Period, Rows]:
        """Every day and month counted since the last take, and forget them."""
        days, self._days = self._days, {}
        return periods_of(days)


def part_of(key: str, parts: int) -> int:
    return zlib.crc32(key.encode()) % parts


def estimated_bytes(rows: Rows) -> int:
    """An upper bound of the rows' size in BSON: each key (ASCII once escaped), and each
    row's document with every counter name any row has, as 64-bit integers."""
    names: set[str] = set().union(*rows.values()) if rows else set()
    per_row = 7 + sum(10 + len(name.encode()) for name in names)
    return sum(map(len, rows)) + len(rows) * per_row


def split(rows: Rows, parts: int) -> list[Rows]:
    """The rows in `parts` parts, each row in its key's."""
    split_rows: list[Rows] = [{} for _ in range(parts)]
    for key, counts in rows.items():
        split_rows[part_of(key, parts)][key] = counts
    return split_rows


def fitted(parts: list[Rows]) -> list[Rows]:
    """The same rows in as many parts as keep each under PART_BYTES: the parts as they
    are if they fit, else all rows split again into twice as many, and so on."""
    while any(estimated_bytes(part) > PART_BYTES for part in parts):
        whole: Rows = {}
        for part in parts:
            whole.update(part)
        parts = split(whole, 2 * len(parts))
    return parts


def bucket_id(period: Period, part: int) -> str:
    return f"{period.tenant_id}|{period.kind}|{period.view}|{period.period}|{part}"


def bucket_doc(period: Period, part: int, parts: int, rows: Rows) -> Doc:
    return {
        "_id": bucket_id(period, part),
        "t": period.tenant_id,
        "k": period.kind,
        "v": period.view,
        "g": period.level,
        "d": period.period,
        "p": part,
        "n": parts,
        "r": rows,
    }


def merged(period: Period, stored: Sequence[Doc], added: Rows) -> list[tuple[int, Doc]]:
    """What to write for a period whose stored parts are `stored` (in part order, none for
    a new period) once `added` is counted in: (part, document) for each part that
    changed; every part when the period had to be split again."""
    parts: list[Rows] = [dict(doc.get("r") or {}) for doc in stored] or [{}]
    by_part: dict[int, Rows] = {}
    for key, counts in added.items():
        by_part.setdefault(part_of(key, len(parts)), {})[key] = counts
    for index, rows in by_part.items():
        add_rows(parts[index], rows)
    if all(estimated_bytes(parts[index]) <= PART_BYTES for index in by_part):
        written = sorted(by_part)
    else:
        parts = fitted(parts)
        written = list(range(len(parts)))
    return [(index, bucket_doc(period, index, len(parts), parts[index])) for index in written]


async def write_buckets(db: Database, session: Session | None, periods: dict[Period, Rows]) -> None:
    """Every period's counts added to its stored parts: read by id (the first part says
    how many there are), merged in memory, and each changed part inserted or replaced."""
    firsts = await _by_id(db, session, [bucket_id(period, 0) for period in periods])
    more = [
        bucket_id(period, part)
        for period in periods
        for part in range(1, int(firsts.get(bucket_id(period, 0), {}).get("n") or 1))
    ]
    stored = {**firsts, **await _by_id(db, session, more)}
    writes: list[tuple[int, InsertOne[Doc] | ReplaceOne[Doc]]] = []
    for period, added in periods.items():
        first = stored.get(bucket_id(period, 0))
        n = int(first.get("n") or 1) if first is not None else 0
        docs = [stored.get(bucket_id(period, part)) or {} for part in range(n)]
        for _, doc in merged(period, docs, added):
            size = estimated_bytes(doc["r"])
            if doc["_id"] in stored:
                writes.append((size, ReplaceOne({"_id": doc["_id"]}, doc)))
            else:
                writes.append((size, InsertOne(doc)))
    chunk: list[InsertOne[Doc] | ReplaceOne[Doc]] = []
    size = 0
    for bytes_, write in writes:
        if chunk and (len(chunk) >= DOCS_A_COMMAND or size + bytes_ > BYTES_A_COMMAND):
            await db[BUCKETS].bulk_write(chunk, ordered=False, session=session)
            chunk, size = [], 0
        chunk.append(write)
        size += bytes_
    if chunk:
        await db[BUCKETS].bulk_write(chunk, ordered=False, session=session)


async def _by_id(db: Database, session: Session | None, ids: list[str]) -> dict[str, Doc]:
    found: dict[str, Doc] = {}
    for first in range(0, len(ids), DOCS_A_COMMAND):
        query = {"_id": {"$in": ids[first : first + DOCS_A_COMMAND]}}
        found.update({doc["_id"]: doc async for doc in db[BUCKETS].find(query, session=session)})
    return found
