"""Churn risk with each page's members assessed once per day and filter, kept in process
while the page's churn headings are as they were.

As of a day, a page's members assessed and at risk depend on nothing but its churn
headings and index (`c`, `ci`): a read compares each page's two texts with the ones its
risks were worked out from (a comparison of bytes), takes the kept figures of the pages
that match and works out only the others' (a page whose assessable members changed since:
a batch of purchases changes a few dozen pages). The report is the pages' sums ordered
and counted once (`churn.risk_report`), as `kept_churn_risk` over every page gives it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence

from libs.mongo import Doc
from services.analytics.adapters.page_sections import kept_churns
from services.analytics.domain.churn import AtRisk, ChurnRisk, risk_report
from services.analytics.domain.churn_kept import kept_risks

# Pages kept in all (a page for a day and filter), the least recently read let go first:
# each keeps its two texts (about 35 KB a page of 1,000 members) and its members at risk.
KEPT_PAGES = 400

_Key = tuple[str, str, str, tuple[str, ...]]  # page, day, tier, stores
_Kept = tuple[str, str, int, list[AtRisk]]  # ci, c, assessed, at risk


class KeptChurnRisks:
    def __init__(self, kept_pages: int = KEPT_PAGES) -> None:
        self._most = kept_pages
        self._pages: OrderedDict[_Key, _Kept] = OrderedDict()

    def report(
        self, pages: Sequence[Doc], as_of: str, tier: str = "", store_ids: Iterable[str] = ()
    ) -> ChurnRisk:
        """Churn risk as of the day of the members of these pages' `c` and `ci` (with
        their `_id`; a page without one is worked out each time)."""
        stores = tuple(sorted(set(store_ids)))
        assessed = 0
        risks: list[AtRisk] = []
        for page in pages:
            found, at_risk = self._page(page, as_of, tier, stores)
            assessed += found
            risks += at_risk
        return risk_report(as_of, assessed, risks)

    def _page(
        self, page: Doc, as_of: str, tier: str, stores: tuple[str, ...]
    ) -> tuple[int, list[AtRisk]]:
        index, lines = str(page.get("ci") or ""), str(page.get("c") or "")
        key = (str(page.get("_id") or ""), as_of, tier, stores)
        known = self._pages.get(key)
        if known is not None and known[0] == index and known[1] == lines:
            self._pages.move_to_end(key)
            return known[2], known[3]
        assessed, risks = kept_risks(kept_churns([page]), as_of, tier, stores)
        if key[0]:
            self._pages[key] = (index, lines, assessed, risks)
            self._pages.move_to_end(key)
            while len(self._pages) > self._most:
                self._pages.popitem(last=False)
        return assessed, risks
