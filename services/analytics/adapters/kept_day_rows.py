"""A campaign's results day by day read the members' sums on each day of the window from
the member pages' month lines (`m`); each page's month, decoded into its days' rows, is
kept in process while the line is as it was.

Decoding a year of lines is most of what the results day by day cost at 100,000 bench
members (some 100 ms of about 230 for 155,000 member-days). A month's line changes only
when an event lands in it, so apart from the month of today a read compares each line
with the one its rows were made from (the same text: a comparison of bytes) and takes the
rows kept. The rows are shared between reads and never changed.
"""

from __future__ import annotations

from collections import OrderedDict

from services.analytics.adapters.profile_reads import day_rows
from services.analytics.domain.campaign_days import DayRows

# Member-days kept in all, the least recently read page's month let go first: about 100
# bytes each (155,000 for a year at 100,000 bench members), some 40 MB at most.
KEPT_MEMBER_DAYS = 400_000

_Key = tuple[str, str, str, str]  # a page, the month, its first and last day read


class KeptDayRows:
    def __init__(self, kept_member_days: int = KEPT_MEMBER_DAYS) -> None:
        self._most = kept_member_days
        self._months: OrderedDict[_Key, tuple[str, list[DayRows], int]] = OrderedDict()
        self._member_days = 0

    def rows(self, page_id: str, month: str, first: str, last: str, line: str) -> list[DayRows]:
        """The line's days from `first` to `last` of `month`, in order (`day_rows`); a page
        without an id is decoded each time."""
        if not page_id:
            return list(day_rows(month, first, last, line))
        key = (page_id, month, first, last)
        known = self._months.get(key)
        if known is not None and known[0] == line:
            self._months.move_to_end(key)
            return known[1]
        made = list(day_rows(month, first, last, line))
        size = sum(len(row.keys) for row in made)
        if known is not None:
            self._member_days -= known[2]
        self._months[key] = (line, made, size)
        self._months.move_to_end(key)
        self._member_days += size
        while self._member_days > self._most and len(self._months) > 1:
            _, (_, _, dropped) = self._months.popitem(last=False)
            self._member_days -= dropped
        return made
