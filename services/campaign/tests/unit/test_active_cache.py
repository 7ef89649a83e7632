"""The active campaigns come from memory, read again when old or changed."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from libs.clock import FakeClock
from services.campaign.campaigns.adapters.active_cache import CachedActiveCampaigns
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.rules import Campaign


class CountingSource:
    def __init__(self) -> None:
        self.reads = 0

    async def active_campaigns(self, tenant_id: str, trigger: Trigger) -> list[Campaign]:
        self.reads += 1
        await asyncio.sleep(0)
        return []


async def test_many_concurrent_orders_read_the_database_once() -> None:
    source = CountingSource()
    cache = CachedActiveCampaigns(source, FakeClock())
    await asyncio.gather(*(cache.active_campaigns("t1", Trigger.PURCHASE) for _ in range(100)))
    assert source.reads == 1


async def test_the_set_is_read_again_once_it_is_older_than_its_max_age() -> None:
    source, clock = CountingSource(), FakeClock()
    cache = CachedActiveCampaigns(source, clock, max_age=timedelta(seconds=5))
    await cache.active_campaigns("t1", Trigger.PURCHASE)
    clock.now += timedelta(seconds=4)
    await cache.active_campaigns("t1", Trigger.PURCHASE)
    clock.now += timedelta(seconds=1)
    await cache.active_campaigns("t1", Trigger.PURCHASE)
    assert source.reads == 2


async def test_a_change_makes_only_that_tenants_next_order_read_again() -> None:
    source = CountingSource()
    cache = CachedActiveCampaigns(source, FakeClock())
    await cache.active_campaigns("t1", Trigger.PURCHASE)
    await cache.active_campaigns("t2", Trigger.PURCHASE)
    await cache.changed("t1", "c1")
    await cache.active_campaigns("t1", Trigger.PURCHASE)
    await cache.active_campaigns("t2", Trigger.PURCHASE)
    assert source.reads == 3


class ChangedDuringRead:
    """A read that sees the old set while a change is announced."""

    def __init__(self, cache_box: list[CachedActiveCampaigns]) -> None:
        self.reads = 0
        self._box = cache_box

    async def active_campaigns(self, tenant_id: str, trigger: Trigger) -> list[Campaign]:
        self.reads += 1
        if self.reads == 1:
            await self._box[0].changed(tenant_id, "c1")
        return []


async def test_a_set_read_while_a_change_was_announced_is_not_kept() -> None:
    box: list[CachedActiveCampaigns] = []
    source = ChangedDuringRead(box)
    box.append(CachedActiveCampaigns(source, FakeClock()))
    await box[0].active_campaigns("t1", Trigger.PURCHASE)
    await box[0].active_campaigns("t1", Trigger.PURCHASE)
    await box[0].active_campaigns("t1", Trigger.PURCHASE)
    assert source.reads == 2


async def test_forgetting_everything_makes_every_tenant_read_again() -> None:
    source = CountingSource()
    cache = CachedActiveCampaigns(source, FakeClock())
    for tenant in ("t1", "t2"):
        await cache.active_campaigns(tenant, Trigger.PURCHASE)
    cache.forget_all()
    for tenant in ("t1", "t2"):
        await cache.active_campaigns(tenant, Trigger.PURCHASE)
    assert source.reads == 4
