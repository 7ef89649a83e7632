"""The daily birthday job: each tenant's active birthday campaigns reward the members
born on the tenant's local day, once per member per year, whichever replica runs it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from libs.clock import Clock
from libs.logging import get_logger
from services.campaign.campaigns.domain.birthdays import (
    BirthdayRun,
    BirthdayRuns,
    MemberDirectory,
    birthday_trigger_key,
    birthdays_on,
)
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.ports import ActiveCampaigns
from services.campaign.campaigns.domain.rules import Campaign
from services.campaign.campaigns.domain.triggered import TriggerFacts, contacts_member
from services.campaign.campaigns.handlers.rewards import RewardGranter

log = get_logger(__name__)


@dataclass(frozen=True)
class BirthdayJob:
    tenants: Callable[[], Awaitable[list[str]]]
    campaigns: ActiveCampaigns
    directory: MemberDirectory
    runs: BirthdayRuns
    granter: RewardGranter
    clock: Clock
    # This replica, as the holder of the runs it claims.
    owner: str

    async def __call__(self) -> int:
        """The members rewarded now. A run already done today (here or on another replica)
        rewards nobody again; one left halfway by a crash is taken over where it stood."""
        rewarded = 0
        for tenant_id in await self.tenants():
            campaigns = await self.campaigns.active_campaigns(tenant_id, Trigger.BIRTHDAY)
            if campaigns:
                rewarded += await self._tenant(tenant_id, campaigns)
        return rewarded

    async def _tenant(self, tenant_id: str, campaigns: list[Campaign]) -> int:
        zone_name = await self.directory.time_zone(tenant_id)
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            log.error("tenant_time_zone_unknown", tenant_id=tenant_id, time_zone=zone_name)
            return 0
        today = self.clock().astimezone(zone).date()
        rewarded = 0
        for campaign in campaigns:
            wanted = BirthdayRun(tenant_id, campaign.campaign_id, today)
            run = await self.runs.claim(wanted, self.owner)
            if run is not None:
                rewarded += await self._run(campaign, run)
        return rewarded

    async def _run(self, campaign: Campaign, run: BirthdayRun) -> int:
        try:
            rewarded = await self._pages(campaign, run)
        except BaseException:
            await self.runs.finish(run, self.owner, done=False)
            raise
        return rewarded

    async def _pages(self, campaign: Campaign, run: BirthdayRun) -> int:
        rewarded = 0
        consenting = contacts_member(campaign)
        birthdays = birthdays_on(run.day)
        while run.part < len(birthdays):
            month, day = birthdays[run.part]
            page = await self.directory.born_on(
                run.tenant_id, month, day, consenting=consenting, cursor=run.cursor
            )
            for member_id in page.member_ids:
                rewarded += await self._reward(campaign, run, member_id, consenting)
            run = (
                replace(run, cursor=page.next_cursor)
                if page.next_cursor
                else replace(run, cursor="", part=run.part + 1)
            )
            if not await self.runs.progress(run, self.owner):
                return rewarded  # another replica took the run over
        await self.runs.finish(run, self.owner, done=True)
        return rewarded

    async def _reward(
        self, campaign: Campaign, run: BirthdayRun, member_id: str, consenting: bool
    ) -> int:
        facts = TriggerFacts(
            tenant_id=run.tenant_id,
            member_id=member_id,
            trigger_key=birthday_trigger_key(member_id, run.day.year),
            occurred_at=self.clock(),
            marketing_consent=True if consenting else None,
        )
        rewarded = await self.granter.reward(campaign, facts)
        return 0 if rewarded.skipped or rewarded.replayed else 1
