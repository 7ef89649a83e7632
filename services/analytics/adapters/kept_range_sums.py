"""RFM's sums over a range from the member pages' month sums (`m`), each page's sums over
the range's months before its last kept in process while those months' lines are as
they were.

A year ending today is eleven or twelve months whose lines change only when a late
event lands in them (a purchase or return dated back, a merge moving a member's history),
and the month of today, which every batch changes. Summing the earlier months costs a
dictionary addition per member and month bought in (about 100,000 at 100,000 bench
members); kept per page, a read compares each page's lines of those months with the
ones its sums were made from (the same texts: a comparison of bytes), takes the kept
sums of the pages that match, and adds only the last month's rows. A page whose lines
changed is summed again. Members are on one page each, so the pages' sums never meet.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from services.analytics.adapters.profile_reads import add_month_line
from services.analytics.domain.month_sums import MonthPart, RangeSums, month_parts

# Members' sums kept in all, the least recently read page let go first: about 300 bytes a
# member with its last order day and the lines they were made from (20 MB for the 67,000
# members of a year at 100,000 bench members), some 60 MB at most.
KEPT_MEMBERS = 200_000

_Key = tuple[str, tuple[MonthPart, ...]]  # a page and the months summed
_Kept = tuple[tuple[str, ...], dict[str, int], dict[str, str]]  # lines, sums, last days


class KeptRangeSums:
    def __init__(self, kept_members: int = KEPT_MEMBERS) -> None:
        self._most = kept_members
        self._pages: OrderedDict[_Key, _Kept] = OrderedDict()
        self._members = 0

    def range_sums(self, pages: Sequence[tuple[str, str]], from_day: str, to_day: str) -> RangeSums:
        """The members' sums over the days from the pages' month sums: (page id, `m`)
        each; a page without an id is summed whole each time."""
        parts = month_parts(from_day, to_day)
        sums = RangeSums()
        if not parts:
            return sums
        earlier, last = tuple(parts[:-1]), parts[-1]
        months = frozenset(part.month for part in earlier)
        last_lines: list[str] = []
        for page_id, text in pages:
            lines = text.split("\n")
            if months:
                mine = [line for line in lines if line[:7] in months]
                sums.take(*self._earlier(page_id, mine, earlier))
            last_lines += [line for line in lines if line[:7] == last.month]
        for line in last_lines:  # after every earlier month: a member's later rows
            add_month_line(sums, last, line)
        return sums

    def _earlier(
        self, page_id: str, lines: list[str], earlier: tuple[MonthPart, ...]
    ) -> tuple[dict[str, int], dict[str, str]]:
        key = (page_id, earlier)
        known = self._pages.get(key)
        if known is not None and known[0] == tuple(lines):
            self._pages.move_to_end(key)
            return known[1], known[2]
        by_month = {part.month: part for part in earlier}
        summed = RangeSums()
        for line in lines:
            add_month_line(summed, by_month[line[:7]], line)
        made, last_days = summed.kept()
        if not page_id:
            return made, last_days
        if known is not None:
            self._members -= len(known[1])
        self._pages[key] = (tuple(lines), made, last_days)
        self._pages.move_to_end(key)
        self._members += len(made)
        while self._members > self._most and len(self._pages) > 1:
            _, (_, dropped, _) = self._pages.popitem(last=False)
            self._members -= len(dropped)
        return made, last_days
