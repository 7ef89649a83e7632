"""Running totals of the lines' roll-up views: for each tenant, view and month with any
line, every row counted up to the end of that month (`running`), kept by the flush.

Any range of days is then a difference of two sums "up to a day": everything up to day x
is the running total of x's month less its days after x, or the running total of the
month before plus its days up to x, whichever reads fewer days. A year of the sales
report's lines by SKU reads two running totals and a week or two of days, not 11 or 12
months and up to 60 days. A row is in the range when the lines counted in it
(`entries`, one per line an event counted, kept with every line's counters) are more than
zero, so a row the range only nets to zero stays exactly as the plain sum shows it.

A tenant's months with a running total are listed, with their parts, per view in one
head document (`<tenant>|<kind>`): a month without a line has none, and "up to" it is
the running total of the last month before it that has one. A batch adds its months'
counts to the running total of each of them and of every later month listed, and makes
the one of a month new to the view from the last before it; each is rewritten whole,
split in parts like the buckets when large. Pure but for the two database functions.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from pymongo import InsertOne, ReplaceOne

from libs.mongo import Database, Doc, Session
from services.analytics.adapters.bucket_sums import bucket_queries
from services.analytics.adapters.buckets import (
    BUCKETS,
    DOCS_A_COMMAND,
    ENTRIES,
    ENTRIES_KINDS,
    FULL,
    MONTH,
    Period,
    Rows,
    add_rows,
    fitted,
    split,
)

RUNNING = "running"
KINDS = ENTRIES_KINDS  # the kinds whose roll-up views keep running totals
# How much more a month's document costs to read than a day's (its rows: every SKU
# of the month against a day's).
MONTH_WEIGHT = 4

Months = dict[str, int]  # month -> its running total's parts


def keeps_running(kind: str, view: str) -> bool:
    return kind in KINDS and view != FULL


def head_id(tenant_id: str, kind: str) -> str:
    return f"{tenant_id}|{kind}"


def running_id(tenant_id: str, kind: str, view: str, month: str, part: int) -> str:
    return f"{tenant_id}|{kind}|{view}|{month}|{part}"


def copied(rows: Rows) -> Rows:
    return {key: dict(counts) for key, counts in rows.items()}


def carried_forward(
    known: Months,
    stored: Mapping[str, Rows],
    added: Mapping[str, Rows],
) -> dict[str, Rows]:
    """Each month whose running total the batch's months' counts (`added`) change, and
    that total: the months added and every later one known. `stored` holds the known
    months' totals from the last before the first added on. A month new to the view
    starts from the total of the last known before it."""
    first = min(added)
    months = sorted(set(added) | {month for month in known if month >= first})
    before = [month for month in known if month < first]
    previous = copied(stored[max(before)]) if before else {}
    carried: Rows = {}
    totals: dict[str, Rows] = {}
    for month in months:
        if month in known:
            previous = stored[month]
        add_rows(carried, added.get(month, {}))
        total = copied(previous)
        add_rows(total, carried)
        totals[month] = total
    return totals


def difference(plus: Sequence[Rows], minus: Sequence[Rows]) -> Rows:
    """The rows of `plus` less those of `minus`, only those whose entries stay above
    zero, without their entries."""
    total: Rows = {}
    for rows in plus:
        add_rows(total, rows)
    for rows in minus:
        add_rows(
            total, {key: {name: -n for name, n in counts.items()} for key, counts in rows.items()}
        )
    return {
        key: {name: n for name, n in counts.items() if name != ENTRIES}
        for key, counts in total.items()
        if counts.get(ENTRIES, 0) > 0
    }


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


class UpTo:
    """What makes everything up to a day: a running total (the last known up to
    `month`, none when `month` is None) with `days` added (sign 1) or taken away (-1)."""

    def __init__(self, month: str | None, days: tuple[str, str] | None, sign: int) -> None:
        self.month, self.days, self.sign = month, days, sign

    def cost(self) -> int:
        if self.days is None:
            return MONTH_WEIGHT
        first, last = date.fromisoformat(self.days[0]), date.fromisoformat(self.days[1])
        return MONTH_WEIGHT + (last - first).days + 1


def up_to(day: str) -> UpTo:
    """The cheaper way to everything up to `day`: its month's total less the days after
    it, or the month before's plus its month's days up to it."""
    on = date.fromisoformat(day)
    end = _month_end(on)
    if on == end:
        return UpTo(day[:7], None, 1)
    before = (_first_of_month(on) - timedelta(days=1)).isoformat()[:7]
    after = ((on + timedelta(days=1)).isoformat(), end.isoformat())
    upto = (_first_of_month(on).isoformat(), day)
    if (end - on).days < on.day:
        return UpTo(day[:7], after, -1)
    return UpTo(before, upto, 1)


def plain_cost(from_day: str, to_day: str) -> int:
    """What the plain sum reads: whole months and the days at the ends."""
    first, last = date.fromisoformat(from_day), date.fromisoformat(to_day)
    if last < first:
        return 0
    cost, day = 0, first
    while day <= last:
        end = _month_end(day)
        if day.day == 1 and end <= last:
            cost, day = cost + MONTH_WEIGHT, end + timedelta(days=1)
        else:
            cost, day = cost + 1, day + timedelta(days=1)
    return cost


def running_plan(from_day: str, to_day: str) -> tuple[UpTo, UpTo] | None:
    """Everything up to `to_day` and up to the day before `from_day`, when that reads
    less than the plain sum; None otherwise (or for days that are none)."""
    try:
        last = up_to(to_day)
        first = date.fromisoformat(from_day) - timedelta(days=1)
    except (ValueError, OverflowError):
        return None
    if first.year < 2:
        return None
    before = up_to(first.isoformat())
    if last.cost() + before.cost() >= plain_cost(from_day, to_day):
        return None
    return last, before


def known_up_to(known: Months, month: str | None) -> str | None:
    """The last month listed up to `month`."""
    if month is None:
        return None
    months = sorted(known)
    at = bisect.bisect_right(months, month)
    return months[at - 1] if at else None


async def running_sum(
    db: Database, tenant_id: str, kind: str, view: str, *, from_day: str, to_day: str
) -> Rows | None:
    """The view's rows summed over the days from running totals, None when they are not
    cheaper or the tenant keeps none for the view (a read model filled before them)."""
    plan = running_plan(from_day, to_day)
    if plan is None or kind not in KINDS:
        return None
    head = await db[RUNNING].find_one({"_id": head_id(tenant_id, kind)})
    known: Months = {m: int(n) for m, n in ((head or {}).get("views") or {}).get(view, {}).items()}
    if not known:
        return None
    plus: list[Rows] = []
    minus: list[Rows] = []
    for upto, sign in ((plan[0], 1), (plan[1], -1)):
        month = known_up_to(known, upto.month)
        if month is not None:
            ids = [running_id(tenant_id, kind, view, month, p) for p in range(known[month])]
            docs = db[RUNNING].find({"_id": {"$in": ids}}, {"_id": 0, "r": 1})
            rows: Rows = {}
            async for doc in docs:
                add_rows(rows, doc.get("r") or {})
            (plus if sign > 0 else minus).append(rows)
        if upto.days is None:
            continue
        for query in bucket_queries(tenant_id, kind, *upto.days, by_day=True, view=view):
            async for doc in db[BUCKETS].find(query, {"_id": 0, "r": 1}):
                rows = doc.get("r") or {}
                (plus if sign * upto.sign > 0 else minus).append(rows)
    return difference(plus, minus)


async def write_running(
    db: Database, session: Session | None, periods: Mapping[Period, Rows]
) -> None:
    """The batch's months' counts carried into the running totals of their views."""
    added: dict[tuple[str, str], dict[str, dict[str, Rows]]] = {}
    for period, rows in periods.items():
        if period.level == MONTH and keeps_running(period.kind, period.view):
            by_view = added.setdefault((period.tenant_id, period.kind), {})
            by_view.setdefault(period.view, {})[period.period] = rows
    for (tenant_id, kind), by_view in added.items():
        await _write_kind(db, session, tenant_id, kind, by_view)


async def _write_kind(
    db: Database,
    session: Session | None,
    tenant_id: str,
    kind: str,
    by_view: Mapping[str, Mapping[str, Rows]],
) -> None:
    head = await db[RUNNING].find_one({"_id": head_id(tenant_id, kind)}, session=session)
    views: dict[str, Months] = {
        view: {m: int(n) for m, n in months.items()}
        for view, months in ((head or {}).get("views") or {}).items()
    }
    wanted: list[str] = []
    for view, months in by_view.items():
        known = views.get(view, {})
        first = min(months)
        before = [m for m in known if m < first]
        needed = [m for m in known if m >= first] + ([max(before)] if before else [])
        wanted += [running_id(tenant_id, kind, view, m, p) for m in needed for p in range(known[m])]
    stored: dict[str, Doc] = {}
    for start in range(0, len(wanted), DOCS_A_COMMAND):
        query = {"_id": {"$in": wanted[start : start + DOCS_A_COMMAND]}}
        stored.update({doc["_id"]: doc async for doc in db[RUNNING].find(query, session=session)})
    docs: list[Doc] = []
    for view, months in by_view.items():
        known = views.setdefault(view, {})
        totals = {
            m: _rows_of(stored, running_id(tenant_id, kind, view, m, 0)[:-1], known[m])
            for m in known
            if running_id(tenant_id, kind, view, m, 0) in stored
        }
        for month, rows in carried_forward(known, totals, months).items():
            parts = fitted(split(rows, max(1, known.get(month, 1))))
            known[month] = len(parts)
            docs += [
                {
                    "_id": running_id(tenant_id, kind, view, month, part),
                    "t": tenant_id,
                    "k": kind,
                    "v": view,
                    "d": month,
                    "p": part,
                    "r": part_rows,
                }
                for part, part_rows in enumerate(parts)
            ]
    writes: list[InsertOne[Doc] | ReplaceOne[Doc]] = [
        ReplaceOne({"_id": doc["_id"]}, doc) if doc["_id"] in stored else InsertOne(doc)
        for doc in docs
    ]
    head_doc = {"_id": head_id(tenant_id, kind), "t": tenant_id, "k": kind, "views": views}
    writes.append(ReplaceOne({"_id": head_doc["_id"]}, head_doc, upsert=True))
    for start in range(0, len(writes), DOCS_A_COMMAND):
        await db[RUNNING].bulk_write(
            writes[start : start + DOCS_A_COMMAND], ordered=False, session=session
        )


def _rows_of(stored: Mapping[str, Doc], prefix: str, parts: int) -> Rows:
    rows: Rows = {}
    for part in range(parts):
        add_rows(rows, (stored.get(f"{prefix}{part}") or {}).get("r") or {})
    return rows
