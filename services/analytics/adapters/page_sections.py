"""What a member page keeps beside its lines, so that RFM, churn risk, win-back and the
league table read a few fields of it instead of splitting every member's line:

- `m`: the page's members' sums by month (domain/month_sums.py), a line per month:
  `<month>\\t<member keys>\\t<orders and net>\\t<last order day>\\t<days>`, the
  columns' items separated by spaces in the keys' order (orders and net packed in one
  int, `month_sums.packed`), the days grouped by day of the month
  (`DD:<members' places among the keys>:<their orders and net that day>`). A range sums
  its whole months' columns, and its cut months' days, with `str.split` and `map`.
- `c`: a line per member churn risk assesses (neither merged nor refusing profiling,
  three purchase days or more): its key, churn index (third and last purchase day, the
  day after which it is at risk, tier and store), the rest of its churn heading
  (domain/churn_kept.py), erased, purchase days and return days; `ci`: the same
  members' indexes in columns, so a report as of today splits `c` into lines and parses
  only the lines of members at risk.
- `e`: the keys of the enrolled members not merged away (the league table's audience).
- `w` and `k`: the lines of the members a campaign rewarded (not merged away), and of
  those merged away or refusing profiling: win-back and reach, merges and refusals.

The flush changes them with the lines it changes (`page_sections`), from each changed
member's line before and after the batch: the key sections by member, the month sums
only in the months the member's sums were or are in. A page written before these fields
(no `v`) has them made from all its lines once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from libs.mongo import Doc
from services.analytics.adapters.pages import EMPTY, escaped, profile_of_line, unescaped
from services.analytics.domain.churn_kept import (
    ChurnHeading,
    ChurnIndex,
    KeptChurn,
    KeptChurns,
    heading_of,
)
from services.analytics.domain.month_sums import NO_DAY, MonthSums, month_sums, packed
from services.analytics.domain.profiles import MemberProfile, churn_member

VERSION = 1
SECTIONS = ("m", "c", "ci", "e", "w", "k")


def _key(line: str) -> str:
    return line.partition("\t")[0]


def churn_line(key: str, profile: MemberProfile) -> str | None:
    """The member's line of `c`, its index first (`ChurnIndex`); None when churn risk
    never assesses it."""
    if not profile.profiled:
        return None
    member = churn_member(profile)
    heading = heading_of(member)
    if heading is None:
        return None
    return "\t".join(
        (
            key,
            heading.third_day,
            heading.last_day,
            heading.at_risk_after,
            escaped(profile.tier),
            escaped(profile.last_store),
            str(heading.usual),
            str(heading.last_interval),
            heading.returned_from,
            "1" if profile.erased else "",
            " ".join(member.purchase_days),
            " ".join(member.return_days),
        )
    )


def churn_indexes(lines: list[str]) -> str:
    """The `ci` of these `c` lines: their indexes (`ChurnIndex`) in columns, each a
    column's items separated by spaces in the lines' order, so a report splits five
    texts a page rather than a line a member."""
    if not lines:
        return ""
    columns = zip(*(line.split("\t", 6)[1:6] for line in lines), strict=True)
    return "\t".join(" ".join(item or EMPTY for item in column) for column in columns)


def _items(column: str) -> list[str]:
    """A column's items, unescaped: an empty one's mark taken out by replacing (twice,
    for marks side by side) rather than item by item."""
    if "\\" not in column:
        return column.split(" ")
    padded = f" {column} ".replace(f" {EMPTY} ", "  ").replace(f" {EMPTY} ", "  ")
    items = padded.split(" ")[1:-1]
    return items if "\\" not in padded else [unescaped(item) for item in items]


def kept_churns(pages: list[Doc]) -> KeptChurns:
    """The members of these pages' `c` and `ci`, the lines parsed only when asked for."""
    indexes: list[ChurnIndex] = []
    lines: list[str] = []
    for page in pages:
        columns = str(page.get("ci") or "")
        if not columns:
            continue
        split = [_items(column) for column in columns.split("\t")]
        indexes.extend(zip(*split, strict=True))
        lines.extend(str(page.get("c") or "").split("\n"))
    return KeptChurns(indexes, lambda n: kept_churn(lines[n]))


def kept_churn(line: str) -> KeptChurn:
    (key, third, last, after, tier, store, usual, interval, returned, erased, bought, back) = (
        line.split("\t")
    )
    return KeptChurn(
        unescaped(key),
        unescaped(tier),
        bool(erased),
        unescaped(store),
        ChurnHeading(third, last, after, int(usual), int(interval), returned),
        tuple(bought.split()),
        tuple(back.split()),
    )


# A member's row of a month line: its orders and net packed, its last order day, and its
# days (day of the month, orders and net packed).
_MonthRow = tuple[str, str, tuple[tuple[str, str], ...]]


def _month_row(sums: MonthSums) -> _MonthRow:
    days = tuple((d.day[8:], str(packed(d.orders, d.net))) for d in sums.days)
    return (str(packed(sums.orders, sums.net)), sums.last_order_day or NO_DAY, days)


def _month_members(line: str) -> dict[str, _MonthRow]:
    """A month line's members: key -> its row."""
    _, keys, sums, last, days = line.split("\t")
    listed = keys.split(" ")
    by_member: dict[str, list[tuple[str, str]]] = {key: [] for key in listed}
    for group in days.split(" "):
        dd, members, kept = group.split(":")
        for n, cents in zip(members.split(","), kept.split(","), strict=True):
            by_member[listed[int(n)]].append((dd, cents))
    rows = zip(listed, sums.split(" "), last.split(" "), strict=True)
    return {key: (kept, day, tuple(by_member[key])) for key, kept, day in rows}


def _month_line(month: str, members: Mapping[str, _MonthRow]) -> str:
    """`<month>\\t<keys>\\t<sums>\\t<last order days>\\t<days>`, the days grouped by
    day of the month: `DD:<members' places in the keys>:<their sums that day>`."""
    keys = sorted(members)
    days: dict[str, tuple[list[str], list[str]]] = {}
    for n, key in enumerate(keys):
        for dd, kept in members[key][2]:
            group = days.setdefault(dd, ([], []))
            group[0].append(str(n))
            group[1].append(kept)
    return "\t".join(
        (
            month,
            " ".join(keys),
            " ".join(members[k][0] for k in keys),
            " ".join(members[k][1] for k in keys),
            " ".join(
                f"{dd}:{','.join(days[dd][0])}:{','.join(days[dd][1])}" for dd in sorted(days)
            ),
        )
    )


class _Sections:
    """A page's sections taken apart, changed member by member, and put together."""

    def __init__(self, page: Doc) -> None:
        self.months = {line[:7]: line for line in str(page.get("m") or "").split("\n") if line}
        self.lines = {
            name: {_key(line): line for line in str(page.get(name) or "").split("\n") if line}
            for name in ("c", "w", "k")
        }
        self.enrolled = set(str(page.get("e") or "").split())
        self._month_members: dict[str, dict[str, _MonthRow]] = {}

    def change(self, key: str, before: str | None, line: str) -> None:
        """The member of this key, whose page line was `before` (None: not on the page)
        and is now `line`."""
        after = profile_of_line(line)
        marked = after.merged or after.refuses_profiling
        kept: str | None
        for name, kept in (
            ("c", churn_line(key, after)),
            ("w", None if after.merged or not after.reward_days else line),
            ("k", line if marked else None),
        ):
            if kept is None:
                self.lines[name].pop(key, None)
            else:
                self.lines[name][key] = kept
        if after.enrolled and not after.merged:
            self.enrolled.add(key)
        else:
            self.enrolled.discard(key)
        was = {} if before is None else month_sums(profile_of_line(before))
        now = month_sums(after)
        for month in was.keys() | now.keys():
            if was.get(month) == now.get(month):
                continue  # the member's row of that month is as it was
            members = self._month_members.get(month)
            if members is None:
                stored = self.months.get(month)
                members = {} if stored is None else _month_members(stored)
                self._month_members[month] = members
            if month in now:
                members[key] = _month_row(now[month])
            else:
                members.pop(key, None)

    def fields(self) -> Doc:
        for month, members in self._month_members.items():
            if members:
                self.months[month] = _month_line(month, members)
            else:
                self.months.pop(month, None)
        self._month_members = {}
        kept: Doc = {
            name: "\n".join(v for _, v in sorted(d.items())) for name, d in self.lines.items()
        }
        kept["ci"] = churn_indexes([v for _, v in sorted(self.lines["c"].items())])
        kept["m"] = "\n".join(self.months[m] for m in sorted(self.months))
        kept["e"] = " ".join(sorted(self.enrolled))
        kept["v"] = VERSION
        return kept


def page_sections(
    page: Doc | None, text: str, changes: Mapping[str, tuple[str | None, str]]
) -> Doc:
    """The sections of a page whose lines are now `text`, these members' lines (by key:
    before the batch, None for a member not on the page, and after) having changed;
    made from all of `text` when the stored page has no sections yet."""
    if page is None or page.get("v") != VERSION:
        return sections_of(text.split("\n"))
    sections = _Sections(page)
    for key, (before, after) in changes.items():
        sections.change(key, before, after)
    return sections.fields()


def sections_of(lines: Iterable[str]) -> Doc:
    """A page's sections made from all its lines."""
    sections = _Sections({})
    for line in lines:
        if line:
            sections.change(_key(line), None, line)
    return sections.fields()
