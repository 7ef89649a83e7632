"""The daily inactivity job: members with no purchase for a campaign's `inactive_days`
get its reward, once per spell of inactivity.

The trigger key is the member and the day the spell reached N days (last purchase + N), so
the grant key is "campaign:version:member:date": a rerun that day, a second replica or a
catch-up after downtime pays nothing twice, and a member who buys again and lapses again
is rewarded again. Spells that began more than `catch_up_days` ago are not looked at, so a
newly activated campaign does not reward every long-lapsed member at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from libs.clock import Clock
from libs.logging import get_logger
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.history import MemberFacts
from services.campaign.campaigns.domain.ports import ActiveCampaigns
from services.campaign.campaigns.domain.rules import Campaign
from services.campaign.campaigns.domain.triggered import TriggerFacts
from services.campaign.campaigns.handlers.rewards import Rewarded

log = get_logger(__name__)


class Rewarder(Protocol):
    async def reward(self, campaign: Campaign, facts: TriggerFacts) -> Rewarded: ...


class LapsedMembers(Protocol):
    async def lapsed_between(
        self, tenant_id: str, start: datetime, end: datetime
    ) -> list[MemberFacts]:
        """Members whose last purchase lies in [start, end)."""
        ...


class DailyRuns(Protocol):
    async def tenants_with(self, trigger: Trigger) -> list[str]: ...
    async def claim(self, job: str, day: date, now: datetime) -> bool:
        """True when this replica runs `job` for `day` (not done, nobody else running)."""
        ...

    async def done(self, job: str, day: date) -> None: ...


def spell_day(facts: MemberFacts, days: int) -> date | None:
    last = facts.last_purchase_at
    return None if last is None else (last + timedelta(days=days)).date()


@dataclass(frozen=True)
class InactivityJob:
    campaigns: ActiveCampaigns
    members: LapsedMembers
    runs: DailyRuns
    rewarder: Rewarder
    clock: Clock
    catch_up_days: int = 7

    async def run_campaign(self, tenant_id: str, campaign: Campaign, now: datetime) -> int:
        days = campaign.conditions.inactive_days
        if days is None:
            return 0
        end = now - timedelta(days=days)
        lapsed = await self.members.lapsed_between(
            tenant_id, end - timedelta(days=self.catch_up_days), end
        )
        paid = 0
        for facts in lapsed:
            trigger = TriggerFacts(
                tenant_id=tenant_id,
                member_id=facts.member_id,
                trigger_key=f"{facts.member_id}:{spell_day(facts, days)}",
                occurred_at=now,
                tier_code=facts.tier_code,
                marketing_consent=facts.marketing_consent,
            )
            rewarded = await self.rewarder.reward(campaign, trigger)
            paid += int(not rewarded.skipped and not rewarded.replayed)
        return paid

    async def run_tenant(self, tenant_id: str) -> int:
        now = self.clock()
        active = await self.campaigns.active_campaigns(tenant_id, Trigger.INACTIVITY)
        return sum([await self.run_campaign(tenant_id, c, now) for c in active])

    async def sweep(self) -> int:
        """Each tenant once a day, by whichever replica claims it first."""
        now = self.clock()
        ran = 0
        for tenant_id in await self.runs.tenants_with(Trigger.INACTIVITY):
            job = f"inactivity:{tenant_id}"
            if not await self.runs.claim(job, now.date(), now):
                continue
            paid = await self.run_tenant(tenant_id)
            await self.runs.done(job, now.date())
            log.info("inactivity_job_done", tenant_id=tenant_id, paid=paid)
            ran += 1
        return ran
