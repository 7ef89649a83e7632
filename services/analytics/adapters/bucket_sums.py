"""The buckets' reads: which documents make up a range (whole months from months, the
days at the ends from days, or every day grouped by day), and their rows filtered and
summed as the old one-document-per-combination-and-day buckets summed. Pure."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from contextlib import suppress
from datetime import date, timedelta
from urllib.parse import unquote

from libs.mongo import Doc
from services.analytics.adapters.buckets import DAY, FULL, MONTH, NO_DIMS, Rows, add_rows


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


DayRange = tuple[str, str]


def covering(from_day: str, to_day: str) -> tuple[DayRange | None, list[DayRange]]:
    """The documents that make up the days from `from_day` to `to_day` (both included):
    the whole months among them (first and last month, YYYY-MM), None for none, and the
    ranges of days left at either end."""
    first, last = date.fromisoformat(from_day), date.fromisoformat(to_day)
    if last < first:
        return None, []
    months_from = first if first.day == 1 else _next_month(first)
    after_last = last + timedelta(days=1)
    months_to = _first_of_month(after_last) - timedelta(days=1)  # the last day of a month
    if months_to < months_from:
        return None, [(from_day, to_day)]
    days: list[DayRange] = []
    if first < months_from:
        days.append((from_day, (months_from - timedelta(days=1)).isoformat()))
    if months_to < last:
        days.append(((months_to + timedelta(days=1)).isoformat(), to_day))
    months = (months_from.isoformat()[:7], months_to.isoformat()[:7])
    return months, days


def bucket_queries(
    tenant_id: str, kind: str, from_day: str, to_day: str, *, by_day: bool, view: str = FULL
) -> list[Doc]:
    """The filters that find a range's documents of a view, each equalities on the
    index's fields then one range on its period: every day's with `by_day`, else the
    whole months' and the days' at the ends. (SecantusDB walks an index only for
    equalities followed by at most one range; any other operator in the same filter
    makes it read the whole collection, every kind and every tenant: the scope's
    filters apply to the rows, in `summed`.)"""
    months: DayRange | None = None
    days = [(from_day, to_day)]
    if not by_day:
        # not days: compared as strings, as the days' documents are
        with suppress(ValueError):
            months, days = covering(from_day, to_day)
    queries = [
        {"t": tenant_id, "k": kind, "v": view, "g": DAY, "d": {"$gte": first, "$lte": last}}
        for first, last in days
    ]
    if months is not None:
        period = {"$gte": months[0], "$lte": months[1]}
        queries.append({"t": tenant_id, "k": kind, "v": view, "g": MONTH, "d": period})
    return queries


def summed(
    docs: Iterable[Doc],
    by: Sequence[str],
    counters: Sequence[str] | None,
    wanted: Mapping[str, Collection[str]],
) -> list[tuple[dict[str, str], dict[str, int]]]:
    """The documents' rows whose dimensions are among `wanted`'s values (a row without
    such a dimension is not), summed by `by` ("day", the document's period, or dimensions;
    a missing one reads ""), sorted by them: each group's `counters` (every one its rows
    have when None). No rows, no group."""
    at = list(by).index("day") if "day" in by else -1  # where a group holds its day
    # First each period's rows by key (the same combination in many documents), then
    # each combination decoded once.
    periods: dict[str, Rows] = {}
    for doc in docs:
        day = str(doc.get("d") or "") if at >= 0 else ""
        add_rows(periods.setdefault(day, {}), doc.get("r") or {})
    groups: dict[tuple[str, ...], dict[str, int]] = {}
    grouping = _Grouping(by, wanted)
    for day, rows in periods.items():
        for key, counts in rows.items():
            group = grouping.of(key)
            if group is None:
                continue
            if at >= 0:
                group = (*group[:at], day, *group[at + 1 :])
            summed_counts = groups.get(group)
            if summed_counts is None:
                groups[group] = counts
                continue
            for name, n in counts.items():
                summed_counts[name] = summed_counts.get(name, 0) + n
    names = counters if counters is not None else sorted(set().union(*groups.values()))
    return [
        (dict(zip(by, group, strict=True)), {name: int(counts.get(name, 0)) for name in names})
        for group, counts in sorted(groups.items())
    ]


class _Grouping:
    """Each row key's group (None when the filters leave it out), decoded once; the
    `name=value` pairs keys share decoded once too."""

    def __init__(self, by: Sequence[str], wanted: Mapping[str, Collection[str]]) -> None:
        self._by = tuple(by)
        self._wanted = wanted
        self._groups: dict[str, tuple[str, ...] | None] = {}
        self._pairs: dict[str, tuple[str, str]] = {}

    def of(self, key: str) -> tuple[str, ...] | None:
        if key in self._groups:
            return self._groups[key]
        dims: dict[str, str] = {}
        if key != NO_DIMS:
            pairs = self._pairs
            for pair in key.split("|"):
                decoded = pairs.get(pair)
                if decoded is None:
                    name, _, value = pair.partition("=")
                    decoded = pairs[pair] = (unquote(name), unquote(value))
                dims[decoded[0]] = decoded[1]
        group: tuple[str, ...] | None = tuple(dims.get(name, "") for name in self._by)
        if any(dims.get(name) not in values for name, values in self._wanted.items()):
            group = None
        self._groups[key] = group
        return group
