"""The profiling reports' reads of members (RFM, churn risk, win-back, the league table's
reach and holdout comparison, a campaign's own comparison): a tenant's member pages, one
document per `PAGES_A_TENANT`-th of its members (adapters/pages.py), turned into profiles
and each report's members in process (domain/profiles.py); and retention's counts, kept
per month of enrolment (adapters/cohort_counts.py)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import repeat
from typing import TYPE_CHECKING

from libs.mongo import Database, Doc
from services.analytics.adapters.cohort_counts import COHORTS, counts_of
from services.analytics.adapters.holdout_buckets import HoldoutBuckets
from services.analytics.adapters.page_sections import VERSION, kept_churns, sections_of
from services.analytics.adapters.pages import (
    MERGED,
    PAGES,
    REFUSES_PROFILING,
    tenant_profiles,
    unescaped,
)
from services.analytics.domain import profiles
from services.analytics.domain.campaign_days import DayRows, EnrolledDays
from services.analytics.domain.campaign_holdout import SpendAndOrders
from services.analytics.domain.churn import ChurnMember, ChurnRisk
from services.analytics.domain.churn_kept import KeptChurns
from services.analytics.domain.month_sums import (
    MemberTotals,
    MonthPart,
    RangeSums,
    month_parts,
)
from services.analytics.domain.ports import MemberMarks
from services.analytics.domain.profiles import MemberProfile, Wanted
from services.analytics.domain.retention import month_of
from services.analytics.domain.rfm import RfmTotals
from services.analytics.domain.winback import RewardedMember

if TYPE_CHECKING:  # they use this module's reads
    from services.analytics.adapters.kept_churn_risks import KeptChurnRisks
    from services.analytics.adapters.kept_day_rows import KeptDayRows
    from services.analytics.adapters.kept_range_sums import KeptRangeSums


def _refusing(marked: str) -> frozenset[str]:
    """The keys of the members of `k` lines who refuse profiling and are not merged."""
    found = set()
    for line in marked.split("\n"):
        if line:
            key, flags, _ = line.split("\t", 2)
            if int(flags) & (MERGED | REFUSES_PROFILING) == REFUSES_PROFILING:
                found.add(key)
    return frozenset(found)


def day_rows(month: str, first: str, last: str, line: str) -> Iterator[DayRows]:
    """A month line's (`m`) days from `first` to `last`, in order: each day's members and
    their sums, in columns."""
    _, keys, _, _, days = line.split("\t")
    listed = keys.split(" ")
    first_dd, last_dd = first[8:], last[8:]
    for group in days.split(" "):
        dd, members, kept = group.split(":")
        if first_dd <= dd <= last_dd:
            members_that_day = list(map(listed.__getitem__, map(int, members.split(","))))
            yield DayRows(f"{month}-{dd}", members_that_day, list(map(int, kept.split(","))))


def _add_cut(sums: RangeSums, month: str, first: str, last: str, line: str) -> None:
    """A month line's members' days from `first` to `last`, in order, a day's members in
    columns (a row without orders gives no last order day, whatever its day)."""
    rows: tuple[list[str], list[int], list[str]] = ([], [], [])
    for day in day_rows(month, first, last, line):
        rows[0].extend(day.keys)
        rows[1].extend(day.sums)
        rows[2].extend(repeat(day.day, len(day.keys)))
    sums.add_month(*rows)


def enrolled_days(
    pages: list[Doc], from_day: str, to_day: str, kept: KeptDayRows | None = None
) -> EnrolledDays:
    """From pages' enrolled members (`e`) and month sums (`m`): the enrolled members, and
    every member's sums on each day of the range, a row a day in day order (a campaign's
    results day by day). With `kept`, each page's month is decoded once while its line is
    unchanged."""
    parts = {part.month: part for part in month_parts(from_day, to_day)}
    enrolled = [str(page.get("e") or "") for page in pages]
    lines = [
        (line[:7], str(page.get("_id") or ""), line)
        for page in pages
        for line in str(page.get("m") or "").split("\n")
        if line[:7] in parts
    ]
    lines.sort(key=lambda month_line: month_line[0])
    by_day: dict[str, tuple[list[str], list[int]]] = {}
    for month, page_id, line in lines:  # each day's members of every page in one row
        part = parts[month]
        decoded = (
            day_rows(month, part.first, part.last, line)
            if kept is None
            else kept.rows(page_id, month, part.first, part.last, line)
        )
        for day in decoded:
            keys, sums = by_day.setdefault(day.day, ([], []))
            keys.extend(day.keys)
            sums.extend(day.sums)
    rows = [DayRows(day, *by_day[day]) for day in sorted(by_day)]
    members = " ".join(enrolled).split()
    if any("\\" in text for text in enrolled):
        members = list(map(unescaped, members))
        rows = [DayRows(r.day, list(map(unescaped, r.keys)), r.sums) for r in rows]
    return EnrolledDays(members, rows)


def range_sums(
    texts: list[str], from_day: str, to_day: str, *, last_days: bool = True
) -> RangeSums:
    """The members' sums over the days from pages' month sums (`m`) (without their last
    order days: `last_days=False`)."""
    parts = {part.month: part for part in month_parts(from_day, to_day)}
    lines = [(line[:7], line) for text in texts for line in text.split("\n") if line[:7] in parts]
    lines.sort(key=lambda month_line: month_line[0])
    sums = RangeSums(last_days=last_days)
    for month, line in lines:
        add_month_line(sums, parts[month], line)
    return sums


def enrolled_sums(
    pages: list[Doc],
    from_day: str,
    to_day: str,
    *,
    with_orders: bool,
    earlier: KeptRangeSums | None = None,
) -> SpendAndOrders:
    """From pages' enrolled members (`e`) and month sums (`m`): every enrolled member's net
    cents over the days (0 for one who bought nothing) and, `with_orders`, the orders and
    net of those who bought or returned on them, packed (the league table's spends, and a
    campaign's own comparison's). With `earlier`, the sums of the range's months before its
    last are those kept in process while their lines are unchanged (as RFM's)."""
    enrolled = [str(page.get("e") or "") for page in pages]
    if earlier is None:
        texts = [str(page.get("m") or "") for page in pages]
        sums = range_sums(texts, from_day, to_day, last_days=False)
    else:
        ids = [(str(page.get("_id") or ""), str(page.get("m") or "")) for page in pages]
        sums = earlier.range_sums(ids, from_day, to_day)
    spend = dict.fromkeys(" ".join(enrolled).split(), 0)
    net = sums.net_spend()
    spent = net.keys() & spend.keys()
    spend.update(zip(spent, map(net.__getitem__, spent), strict=True))
    kept: dict[str, int] = {}
    if with_orders:  # every buyer's, or only the enrolled ones'
        kept = sums.packed_sums()
        if len(spent) != len(kept):
            kept = {key: kept[key] for key in spent}
    if any("\\" in text for text in enrolled):
        spend = {unescaped(key): cents for key, cents in spend.items()}
        kept = {unescaped(key): both for key, both in kept.items()}
    return SpendAndOrders(spend, kept)


def add_month_line(sums: RangeSums, part: MonthPart, line: str) -> None:
    """A month line's rows added to the sums: all of them for a whole month, its days
    within the part for a cut one."""
    if not part.whole:
        _add_cut(sums, part.month, part.first, part.last, line)
        return
    _, keys, kept, last, _ = line.split("\t")
    sums.add_month(keys.split(" "), list(map(int, kept.split(" "))), last.split(" "))


class ProfileReads:
    """The `Reports` methods that read members, from their pages."""

    _db: Database
    _holdouts: HoldoutBuckets
    _range_sums: KeptRangeSums
    _day_rows: KeptDayRows
    _churn_risks: KeptChurnRisks

    async def sections(self, tenant_id: str, *names: str) -> list[Doc]:
        """These sections of the tenant's pages (adapters/page_sections.py); a page
        written before it kept them has them made from its lines here."""
        projection = {"v": 1, **dict.fromkeys(names, 1)}
        found = []
        async for page in self._db[PAGES].find({"t": tenant_id}, projection):
            if page.get("v") == VERSION:
                found.append(page)
                continue
            full = await self._db[PAGES].find_one({"_id": page.get("_id")}) or {}
            found.append(sections_of(str(full.get("x") or "").split("\n")))
        return found

    async def _texts(self, tenant_id: str, name: str) -> list[str]:
        return [str(doc.get(name) or "") for doc in await self.sections(tenant_id, name)]

    async def profiles(
        self, tenant_id: str, wanted: Wanted = profiles.EVERYONE
    ) -> list[MemberProfile]:
        """The tenant's members that `wanted` may take, in their profiles."""
        cursor = self._db[PAGES].find({"t": tenant_id}, {"_id": 0, "x": 1})
        return tenant_profiles([str(doc.get("x") or "") async for doc in cursor], wanted)

    async def cohort_counts(
        self, tenant_id: str, from_day: str, to_day: str
    ) -> list[tuple[str, int]]:
        """The retention counts kept for the months of enrolment of the days."""
        months = {"$gte": month_of(from_day), "$lte": month_of(to_day)}
        cursor = self._db[COHORTS].find({"t": tenant_id, "m": months}, {"_id": 0, "x": 1})
        return [kept async for doc in cursor for kept in counts_of(str(doc["x"])).items()]

    async def rfm_totals(self, tenant_id: str, from_day: str, to_day: str) -> list[RfmTotals]:
        placed = await self.rfm_columns(tenant_id, from_day, to_day)
        return list(zip(placed.orders, placed.net, placed.last_days, strict=True))

    async def rfm_columns(self, tenant_id: str, from_day: str, to_day: str) -> MemberTotals:
        """From the pages' month sums (the months before the range's last as kept in
        process while their lines are unchanged), those refusing profiling left out."""
        pages = await self.sections(tenant_id, "m", "k")
        texts = [(str(page.get("_id") or ""), str(page.get("m") or "")) for page in pages]
        sums = self._range_sums.range_sums(texts, from_day, to_day)
        refusing = frozenset().union(*(_refusing(str(page.get("k") or "")) for page in pages))
        return sums.rfm_columns(refusing)

    async def churn_members(self, tenant_id: str) -> list[ChurnMember]:
        kept = await self.kept_churn(tenant_id)
        return [kept.rest(n).member() for n in range(len(kept.indexes))]

    async def kept_churn(self, tenant_id: str) -> KeptChurns:
        return kept_churns(await self.sections(tenant_id, "c", "ci"))

    async def churn_risk(
        self, tenant_id: str, as_of: str, tier: str, store_ids: Sequence[str]
    ) -> ChurnRisk:
        """Each page's members at risk as kept in process while its headings are
        unchanged (adapters/kept_churn_risks.py)."""
        pages = await self.sections(tenant_id, "c", "ci")
        return self._churn_risks.report(pages, as_of, tier, store_ids)

    async def rewarded_members(self, tenant_id: str) -> list[RewardedMember]:
        members = tenant_profiles(await self._texts(tenant_id, "w"))
        return profiles.rewarded_members(members)

    async def member_spend(self, tenant_id: str, from_day: str, to_day: str) -> dict[str, int]:
        """Every enrolled member not merged away (`e`), and its net from the month sums."""
        pages = await self.sections(tenant_id, "m", "e")
        earlier = self._range_sums
        return enrolled_sums(pages, from_day, to_day, with_orders=False, earlier=earlier).spend

    async def member_orders_and_spend(
        self, tenant_id: str, from_day: str, to_day: str
    ) -> SpendAndOrders:
        pages = await self.sections(tenant_id, "m", "e")
        earlier = self._range_sums
        return enrolled_sums(pages, from_day, to_day, with_orders=True, earlier=earlier)

    async def member_days(self, tenant_id: str, from_day: str, to_day: str) -> EnrolledDays:
        pages = await self.sections(tenant_id, "m", "e")
        return enrolled_days(pages, from_day, to_day, self._day_rows)

    async def enrolled_members(self, tenant_id: str) -> list[str]:
        """Every enrolled member not merged away."""
        return [
            unescaped(key) for text in await self._texts(tenant_id, "e") for key in text.split()
        ]

    def holdout_buckets(self, campaign_id: str, member_ids: Sequence[str]) -> bytes:
        return self._holdouts.of(campaign_id, member_ids)

    async def member_marks(self, tenant_id: str) -> MemberMarks:
        return profiles.member_marks(tenant_profiles(await self._texts(tenant_id, "k")))

    async def campaign_reach(self, tenant_id: str, from_day: str, to_day: str) -> dict[str, int]:
        members = tenant_profiles(await self._texts(tenant_id, "w"))
        return profiles.campaign_reach(members, from_day, to_day)
