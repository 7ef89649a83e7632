"""In-memory stand-ins for the campaign service's storage."""

from __future__ import annotations

from services.campaign.domain.lifecycle import CampaignRecord
from services.campaign.domain.results import CampaignResults


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
