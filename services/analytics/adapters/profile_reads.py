"""The profiling reports' reads of members (RFM, churn risk, win-back, the league table's
reach and holdout comparison, a campaign's own comparison): a tenant's member pages, one
document per `PAGES_A_TENANT`-th of its members (adapters/pages.py), turned into profiles
and each report's members in process (domain/profiles.py); and retention's counts, kept
per month of enrolment (adapters/cohort_counts.py)."""

from __future__ import annotations

from libs.mongo import Database
from services.analytics.adapters.cohort_counts import COHORTS, counts_of
from services.analytics.adapters.pages import PAGES, bought_in_days, tenant_profiles
from services.analytics.domain import profiles
from services.analytics.domain.campaign_holdout import BoughtInDays
from services.analytics.domain.churn import ChurnMember
from services.analytics.domain.ports import MemberMarks
from services.analytics.domain.profiles import MemberProfile, Wanted
from services.analytics.domain.retention import month_of
from services.analytics.domain.rfm import RfmTotals
from services.analytics.domain.winback import RewardedMember


class ProfileReads:
    """The `Reports` methods that read members, from their pages."""

    _db: Database

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
        wanted = profiles.rfm_wanted(from_day, to_day)
        return profiles.rfm_totals(await self.profiles(tenant_id, wanted), from_day, to_day)

    async def churn_members(self, tenant_id: str) -> list[ChurnMember]:
        return profiles.churn_members(await self.profiles(tenant_id, profiles.CHURN_WANTED))

    async def rewarded_members(self, tenant_id: str) -> list[RewardedMember]:
        wanted = profiles.REWARDED_WANTED
        return profiles.rewarded_members(await self.profiles(tenant_id, wanted))

    async def member_spend(self, tenant_id: str, from_day: str, to_day: str) -> dict[str, int]:
        members = await self.profiles(tenant_id, profiles.SPEND_WANTED)
        return profiles.member_spend(members, from_day, to_day)

    async def member_bought(self, tenant_id: str, from_day: str, to_day: str) -> BoughtInDays:
        cursor = self._db[PAGES].find({"t": tenant_id}, {"_id": 0, "x": 1})
        return bought_in_days([str(doc.get("x") or "") async for doc in cursor], from_day, to_day)

    async def member_marks(self, tenant_id: str) -> MemberMarks:
        return profiles.member_marks(await self.profiles(tenant_id, profiles.MARKS_WANTED))

    async def campaign_reach(self, tenant_id: str, from_day: str, to_day: str) -> dict[str, int]:
        members = await self.profiles(tenant_id, profiles.REWARDED_WANTED)
        return profiles.campaign_reach(members, from_day, to_day)
