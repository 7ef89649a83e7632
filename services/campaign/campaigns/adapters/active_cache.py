"""The active campaigns kept in memory per tenant and trigger, so an order never waits on
the database: read again at most every `max_age`, and at once after a change (made here,
or announced by campaign.changed from another replica)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from libs.clock import Clock
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.ports import ActiveCampaigns
from services.campaign.campaigns.domain.rules import Campaign


@dataclass(frozen=True)
class _Entry:
    campaigns: list[Campaign]
    loaded_at: datetime


class CachedActiveCampaigns:
    def __init__(
        self,
        source: ActiveCampaigns,
        clock: Clock,
        max_age: timedelta = timedelta(seconds=5),
    ) -> None:
        self._source = source
        self._clock = clock
        self._max_age = max_age
        self._entries: dict[tuple[str, Trigger], _Entry] = {}
        self._locks: dict[tuple[str, Trigger], asyncio.Lock] = {}
        self._generations: dict[str, int] = {}

    async def active_campaigns(self, tenant_id: str, trigger: Trigger) -> list[Campaign]:
        key = (tenant_id, trigger)
        entry = self._entries.get(key)
        if entry is not None and self._clock() - entry.loaded_at < self._max_age:
            return entry.campaigns
        async with self._locks.setdefault(key, asyncio.Lock()):  # one read per tenant at a time
            entry = self._entries.get(key)
            if entry is None or self._clock() - entry.loaded_at >= self._max_age:
                generation = self._generations.get(tenant_id, 0)
                loaded = await self._source.active_campaigns(tenant_id, trigger)
                entry = _Entry(loaded, self._clock())
                # A change announced during the read may be missing from it: keep it not.
                if self._generations.get(tenant_id, 0) == generation:
                    self._entries[key] = entry
            return entry.campaigns

    async def changed(self, tenant_id: str, campaign_id: str) -> None:
        """A campaign of the tenant changed (here, or on another replica as announced by
        campaign.changed): the next order reads its campaigns again."""
        self._generations[tenant_id] = self._generations.get(tenant_id, 0) + 1
        for key in [k for k in self._entries if k[0] == tenant_id]:
            self._entries.pop(key, None)

    def forget_all(self) -> None:
        """Changes may have been missed (no news from the event stream for a while)."""
        for tenant_id in {k[0] for k in self._entries}:
            self._generations[tenant_id] = self._generations.get(tenant_id, 0) + 1
        self._entries.clear()
