"""What the campaign handlers need from storage."""

from __future__ import annotations

from typing import Protocol

from services.campaign.domain.campaigns import CampaignStatus, CampaignSummary
from services.campaign.domain.evaluation import PurchaseCampaign
from services.campaign.domain.lifecycle import CampaignRecord
from services.campaign.domain.results import CampaignResults


class CampaignReader(Protocol):
    async def list_campaigns(
        self, tenant_id: str, status: CampaignStatus | None, limit: int
    ) -> list[CampaignSummary]:
        """Newest first."""
        ...


class PurchaseCampaigns(Protocol):
    async def active_purchase_campaigns(self, tenant_id: str) -> list[PurchaseCampaign]:
        """The tenant's active campaigns triggered by a purchase."""
        ...


class CampaignStore(Protocol):
    async def add(self, record: CampaignRecord) -> None: ...

    async def get(self, tenant_id: str, campaign_id: str) -> CampaignRecord | None:
        """None when absent or another tenant's."""
        ...

    async def replace(self, record: CampaignRecord, expected: CampaignRecord) -> bool:
        """Store `record` only if the stored one is still `expected` (same version, status
        and update time), and keep every version's rules; False when someone else won."""
        ...


class ResultsReader(Protocol):
    async def results(self, record: CampaignRecord) -> CampaignResults: ...
