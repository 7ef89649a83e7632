"""A campaign's results day by day: what its grants counted per local day and the budget
left at each day's end. The audience's orders and spend per day, targeted against held
out, are the analytics read model's (the gateway composes them): no member is loaded
here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Protocol

from libs.clock import Clock
from services.campaign.campaigns.domain.daily import (
    DayCounts,
    ResultDay,
    daily_results,
    days_from,
)
from services.campaign.campaigns.domain.errors import CampaignNotFound
from services.campaign.campaigns.domain.lifecycle import rules_of
from services.campaign.campaigns.domain.ports import CampaignStore


class GrantDays(Protocol):
    async def days(self, tenant_id: str, campaign_id: str) -> dict[str, DayCounts]:
        """What the campaign's grants counted per local day (YYYY-MM-DD)."""
        ...


@dataclass(frozen=True)
class CampaignDays:
    store: CampaignStore
    counters: GrantDays
    clock: Clock

    async def days(self, tenant_id: str, campaign_id: str, tz: tzinfo) -> list[ResultDay]:
        """From the campaign's start (its creation when it has none) to its end or now."""
        record = await self.store.get(tenant_id, campaign_id) if campaign_id else None
        if record is None:
            raise CampaignNotFound(campaign_id)
        campaign = rules_of(record)
        now = self.clock()
        start = campaign.starts_at or record.created_at
        end = max(start, min(campaign.ends_at or now, now))
        window = days_from(start.astimezone(tz).date(), end.astimezone(tz).date())
        counts = await self.counters.days(tenant_id, campaign_id)
        return daily_results(campaign, window, counts=counts)
