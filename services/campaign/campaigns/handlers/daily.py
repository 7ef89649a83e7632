"""A campaign's results day by day: what its grants counted per local day, and the orders
and spend of its targeted and held-out members per day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Protocol

from libs.clock import Clock
from services.campaign.campaigns.domain.daily import (
    DayCounts,
    ResultDay,
    Spend,
    daily_results,
    days_from,
)
from services.campaign.campaigns.domain.errors import CampaignNotFound
from services.campaign.campaigns.domain.lifecycle import rules_of
from services.campaign.campaigns.domain.ports import CampaignStore
from services.campaign.campaigns.handlers.insights import History, Memberships, audience_of


class GrantDays(Protocol):
    async def days(self, tenant_id: str, campaign_id: str) -> dict[str, DayCounts]:
        """What the campaign's grants counted per local day (YYYY-MM-DD)."""
        ...


class Spends(Protocol):
    async def spends_between(self, tenant_id: str, start: datetime, end: datetime) -> list[Spend]:
        """Each purchase in [start, end] with its spend less returns."""
        ...


@dataclass(frozen=True)
class CampaignDays:
    store: CampaignStore
    counters: GrantDays
    history: History
    spends: Spends
    memberships: Memberships
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
        audience = await audience_of(campaign, tenant_id, self.history, self.memberships)
        purchases = await self.spends.spends_between(tenant_id, start, end) if end > start else []
        counts = await self.counters.days(tenant_id, campaign_id)
        return daily_results(
            campaign, window, counts=counts, audience=audience, purchases=purchases, tz=tz
        )
