"""In-memory stand-ins for the campaign service's storage."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from services.campaign.campaigns.domain.events import CampaignChanged
from services.campaign.campaigns.domain.lifecycle import CampaignRecord
from services.campaign.campaigns.domain.results import CampaignResults

T = TypeVar("T")


class FakeStore:
    def __init__(self) -> None:
        self.records: dict[str, CampaignRecord] = {}
        self.versions: dict[tuple[str, int], CampaignRecord] = {}

    async def add(self, record: CampaignRecord) -> None:
        self.records[record.campaign_id] = record
        self.versions[(record.campaign_id, record.version)] = record

    async def get(self, tenant_id: str, campaign_id: str) -> CampaignRecord | None:
        record = self.records.get(campaign_id)
        return record if record is not None and record.tenant_id == tenant_id else None

    async def replace(self, record: CampaignRecord, expected: CampaignRecord) -> bool:
        if self.records.get(record.campaign_id) != expected:
            return False
        await self.add(record)
        return True


class FakeResults:
    async def results(self, record: CampaignRecord) -> CampaignResults:
        return CampaignResults(budget_left=record.definition.limits.budget_points)


class FakeCampaignRepositories:
    def __init__(self, store: FakeStore) -> None:
        self.campaigns = store
        self.events: list[CampaignChanged] = []


class FakeCampaignUnitOfWork:
    """Commits the store's writes and the events together, or neither."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self.published: list[CampaignChanged] = []

    async def transaction(self, work: Callable[[FakeCampaignRepositories], Awaitable[T]]) -> T:
        repos = FakeCampaignRepositories(self.store)
        result = await work(repos)
        self.published += repos.events
        return result
