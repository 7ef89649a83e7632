"""What the campaign handlers need from storage."""

from __future__ import annotations

from typing import Protocol

from services.campaign.domain.campaigns import CampaignStatus, CampaignSummary
from services.campaign.domain.evaluation import PurchaseCampaign


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
