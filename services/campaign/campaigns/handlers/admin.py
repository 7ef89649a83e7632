"""Operators' use cases: draft, read, edit, activate and pause a campaign."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from libs.clock import Clock
from libs.errors import Conflict
from libs.ids import new_id
from services.campaign.campaigns.domain import lifecycle
from services.campaign.campaigns.domain.definitions import Definition
from services.campaign.campaigns.domain.errors import CampaignNotFound
from services.campaign.campaigns.domain.events import CampaignChanged, Change
from services.campaign.campaigns.domain.lifecycle import CampaignRecord
from services.campaign.campaigns.domain.ports import (
    CampaignRepositories,
    CampaignStore,
    CampaignUnitOfWork,
    ResultsReader,
)
from services.campaign.campaigns.domain.results import CampaignResults


@dataclass(frozen=True)
class CampaignView:
    record: CampaignRecord
    results: CampaignResults


class ChangeNotifier(Protocol):
    """Told after a stored change, so the active set in memory is read again."""

    async def changed(self, tenant_id: str, campaign_id: str) -> None: ...


class NoNotifier:
    async def changed(self, tenant_id: str, campaign_id: str) -> None:
        return None


def new_event_id() -> str:
    return new_id("evt_")


@dataclass(frozen=True)
class Admin:
    """Each change is stored with its `campaign.changed` event in one transaction, which
    every replica follows to read its active campaigns again."""

    store: CampaignStore
    results: ResultsReader
    clock: Clock
    new_id: Callable[[], str]
    uow: CampaignUnitOfWork
    notifier: ChangeNotifier = field(default_factory=NoNotifier)
    new_event_id: Callable[[], str] = new_event_id

    async def _view(self, record: CampaignRecord) -> CampaignView:
        return CampaignView(record, await self.results.results(record))

    async def _existing(self, tenant_id: str, campaign_id: str) -> CampaignRecord:
        record = await self.store.get(tenant_id, campaign_id) if campaign_id else None
        if record is None:
            raise CampaignNotFound(campaign_id)
        return record

    async def create(self, tenant_id: str, definition: Definition) -> CampaignView:
        record = lifecycle.draft(self.new_id(), tenant_id, definition, self.clock())

        async def add(repos: CampaignRepositories) -> None:
            await repos.campaigns.add(record)
            repos.events.append(self._event(record, Change.CREATED))

        await self.uow.transaction(add)
        return await self._view(record)

    def _event(self, record: CampaignRecord, change: Change) -> CampaignChanged:
        return CampaignChanged(self.new_event_id(), record, change, record.updated_at)

    async def get(self, tenant_id: str, campaign_id: str) -> CampaignView:
        return await self._view(await self._existing(tenant_id, campaign_id))

    async def _change(
        self,
        tenant_id: str,
        campaign_id: str,
        kind: Change,
        change: Callable[[CampaignRecord], CampaignRecord],
    ) -> CampaignView:
        current = await self._existing(tenant_id, campaign_id)
        changed = change(current)
        if changed is not current:

            async def replace(repos: CampaignRepositories) -> None:
                if not await repos.campaigns.replace(changed, current):
                    raise Conflict("the campaign changed meanwhile; read it again and retry")
                repos.events.append(self._event(changed, kind))

            await self.uow.transaction(replace)
            await self.notifier.changed(tenant_id, campaign_id)
        return await self._view(changed)

    async def update(
        self, tenant_id: str, campaign_id: str, definition: Definition
    ) -> CampaignView:
        return await self._change(
            tenant_id,
            campaign_id,
            Change.UPDATED,
            lambda r: lifecycle.edit(r, definition, self.clock()),
        )

    async def activate(self, tenant_id: str, campaign_id: str) -> CampaignView:
        return await self._change(
            tenant_id, campaign_id, Change.ACTIVATED, lambda r: lifecycle.activate(r, self.clock())
        )

    async def pause(self, tenant_id: str, campaign_id: str) -> CampaignView:
        return await self._change(
            tenant_id, campaign_id, Change.PAUSED, lambda r: lifecycle.pause(r, self.clock())
        )
