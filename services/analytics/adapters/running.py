"""Opening balances of the lines' roll-up views: for each tenant, view and month with any
line, every row counted before that month (`running`), kept by the flush.

Any range of days is then a difference of two sums "up to a day": everything up to day x
is the balance of x's month plus its days up to x, or the balance plus the month's
document less its days after x, whichever reads fewer days (the balance of a month with
no line is the last one's before it plus that month's document). A year of the sales
report's lines by SKU reads two balances and a week or two of days, not 11 or 12 months
and up to 60 days. A row is in the range when the lines counted in it (`entries`, one per
line an event counted, kept with every line's counters) are more than zero, so a row the
range only nets to zero stays exactly as the plain sum shows it.

A balance counts only earlier months, so a batch of the current month changes none: a
month's first batch makes its balance (the last balance before it plus that month's
document, as the batch's own buckets just left it) and a batch dated an earlier month
(a late purchase) adds its counts to the balances of the later months. A tenant's
months with a balance are listed, with their parts, per view in one head document
(`<tenant>|<kind>`); each balance is written whole, split in parts like the buckets when
large. Pure but for the database functions.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from pymongo import ReplaceOne

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
KINDS = ENTRIES_KINDS  # the kinds whose roll-up views keep opening balances
# How much more a month's document costs to read than a day's (its rows: every SKU
# of the month against a day's).
MONTH_WEIGHT = 4
BALANCE_WEIGHT = 4  # a balance holds every SKU ever sold, a month's document its own

Months = dict[str, int]  # month -> its balance's parts


def keeps_running(kind: str, view: str) -> bool:
    return kind in KINDS and view != FULL


def head_id(tenant_id: str, kind: str) -> str:
    return f"{tenant_id}|{kind}"


def running_id(tenant_id: str, kind: str, view: str, month: str, part: int) -> str:
    return f"{tenant_id}|{kind}|{view}|{month}|{part}"


def copied(rows: Rows) -> Rows:
    return {key: dict(counts) for key, counts in rows.items()}


def opening_balances(
    known: Iterable[str],
    balances: Mapping[str, Rows],
    added: Mapping[str, Rows],
    month_rows: Mapping[str, Rows],
) -> dict[str, Rows]:
    """The balances a batch changes or makes, by month: a known month after the batch's
    first gets the batch's counts of earlier months; a month new to the view starts from
    the balance of the month with lines before it plus that month's rows (`month_rows`,
    the month's documents as the batch left them). `balances` holds the known months'
    balances from the last before the batch's first on."""
    listed = set(known)
    first = min(added)
    before = [month for month in listed if month < first]
    previous = max(before) if before else None
    balance: Rows | None = None  # the previous month's balance, as the batch leaves it
    carried: Rows = {}
    changed: dict[str, Rows] = {}
    for month in sorted(set(added) | {month for month in listed if month >= first}):
        if month in listed:
            balance = copied(balances[month])
            add_rows(balance, carried)
            if carried:
                changed[month] = balance
        else:
            if balance is None:
                balance = balances[previous] if previous is not None else {}
            balance = copied(balance)
            if previous is not None:
                add_rows(balance, month_rows[previous])
            changed[month] = balance
        add_rows(carried, added.get(month, {}))
        previous = month
    return changed


def months_before_new(known: Iterable[str], added: Iterable[str]) -> list[str]:
    """The months whose documents `opening_balances` needs: the one with lines before
    each month new to the view."""
    listed = set(known)
    months = set(added)
    first = min(months)
    before = [month for month in listed if month < first]
    previous = max(before) if before else None
    needed: list[str] = []
    for month in sorted(months | {month for month in listed if month >= first}):
        if month not in listed and previous is not None:
            needed.append(previous)
        previous = month
    return needed


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
    """What makes everything up to a day: the balance of `month`, with its month's days
    up to the day added, or (`whole`) its month's document added and `days` after the
    day taken away."""

    def __init__(self, month: str, days: tuple[str, str] | None, whole: bool) -> None:
        self.month, self.days, self.whole = month, days, whole

    def cost(self) -> int:
        cost = BALANCE_WEIGHT + (MONTH_WEIGHT if self.whole else 0)
        if self.days is None:
            return cost
        first, last = date.fromisoformat(self.days[0]), date.fromisoformat(self.days[1])
        return cost + (last - first).days + 1


def up_to(day: str) -> UpTo:
    """The cheaper way to everything up to `day`: its month's balance and days up to it,
    or its month's balance and document less the days after it."""
    on = date.fromisoformat(day)
    end = _month_end(on)
    month = day[:7]
    upto = UpTo(month, (_first_of_month(on).isoformat(), day), whole=False)
    after = (on + timedelta(days=1)).isoformat(), end.isoformat()
    whole = UpTo(month, None if on == end else after, whole=True)
    return whole if whole.cost() < upto.cost() else upto


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


@dataclass(frozen=True)
class ViewOf:
    """A tenant's kind's view."""

    tenant_id: str
    kind: str
    view: str


async def _balance_rows(
    db: Database, session: Session | None, of: ViewOf, known: Months, months: Iterable[str]
) -> dict[str, Rows]:
    """The stored balances of these known months, read by id."""
    ids = [
        running_id(of.tenant_id, of.kind, of.view, m, p) for m in months for p in range(known[m])
    ]
    found: dict[str, Rows] = {}
    for start in range(0, len(ids), DOCS_A_COMMAND):
        query = {"_id": {"$in": ids[start : start + DOCS_A_COMMAND]}}
        async for doc in db[RUNNING].find(query, {"d": 1, "r": 1}, session=session):
            add_rows(found.setdefault(str(doc["d"]), {}), doc.get("r") or {})
    return found


async def _month_rows(db: Database, session: Session | None, of: ViewOf, month: str) -> Rows:
    """The month's document of the view (every part), through the buckets' index."""
    rows: Rows = {}
    query = {"t": of.tenant_id, "k": of.kind, "v": of.view, "g": MONTH, "d": month}
    async for doc in db[BUCKETS].find(query, {"_id": 0, "r": 1}, session=session):
        add_rows(rows, doc.get("r") or {})
    return rows


async def _days(db: Database, of: ViewOf, days: tuple[str, str]) -> list[Rows]:
    found: list[Rows] = []
    for query in bucket_queries(of.tenant_id, of.kind, *days, by_day=True, view=of.view):
        found += [doc.get("r") or {} async for doc in db[BUCKETS].find(query, {"_id": 0, "r": 1})]
    return found


async def running_sum(
    db: Database, tenant_id: str, kind: str, view: str, *, from_day: str, to_day: str
) -> Rows | None:
    """The view's rows summed over the days from the balances, None when they are not
    cheaper or the tenant keeps none for the view (a read model filled before them)."""
    plan = running_plan(from_day, to_day)
    if plan is None or kind not in KINDS:
        return None
    head = await db[RUNNING].find_one({"_id": head_id(tenant_id, kind)})
    known: Months = {m: int(n) for m, n in ((head or {}).get("views") or {}).get(view, {}).items()}
    if not known:
        return None
    of = ViewOf(tenant_id, kind, view)
    plus: list[Rows] = []
    minus: list[Rows] = []
    for upto, sign in ((plan[0], 1), (plan[1], -1)):
        adding, taking = (plus, minus) if sign > 0 else (minus, plus)
        listed = known_up_to(known, upto.month)
        if listed is not None:
            adding += (await _balance_rows(db, None, of, known, [listed])).values()
            if listed != upto.month:  # a month with no line: the last one's balance and rows
                adding.append(await _month_rows(db, None, of, listed))
        if upto.whole:
            adding.append(await _month_rows(db, None, of, upto.month))
        if upto.days is not None:
            days = await _days(db, of, upto.days)
            (taking if upto.whole else adding).extend(days)
    return difference(plus, minus)


async def write_running(
    db: Database, session: Session | None, periods: Mapping[Period, Rows]
) -> None:
    """The batch's months' counts carried into the balances of their views' later months,
    and the balances of months new to a view made (after the batch's buckets are written:
    a new month's balance adds the month before's document as the batch left it)."""
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
    docs: list[Doc] = []
    changed_head = False
    for view, months in by_view.items():
        known = views.setdefault(view, {})
        first = min(months)
        later = [m for m in known if m >= first]
        before = [m for m in known if m < first]
        if set(months) <= set(known) and not [m for m in later if m > first]:
            continue  # the batch's months all have balances and none after them: no change
        of = ViewOf(tenant_id, kind, view)
        needed = later + ([max(before)] if before else [])
        balances = await _balance_rows(db, session, of, known, needed)
        month_rows = {
            m: await _month_rows(db, session, of, m) for m in months_before_new(known, months)
        }
        for month, rows in opening_balances(known, balances, months, month_rows).items():
            parts = fitted(split(rows, max(1, known.get(month, 1))))
            changed_head = changed_head or known.get(month) != len(parts)
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
    writes: list[ReplaceOne[Doc]] = [
        ReplaceOne({"_id": doc["_id"]}, doc, upsert=True) for doc in docs
    ]
    if changed_head:
        head_doc = {"_id": head_id(tenant_id, kind), "t": tenant_id, "k": kind, "views": views}
        writes.append(ReplaceOne({"_id": head_doc["_id"]}, head_doc, upsert=True))
    for start in range(0, len(writes), DOCS_A_COMMAND):
        await db[RUNNING].bulk_write(
            writes[start : start + DOCS_A_COMMAND], ordered=False, session=session
        )
