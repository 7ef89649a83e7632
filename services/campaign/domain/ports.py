"""What the campaign handlers need from storage."""

from __future__ import annotations

from typing import Protocol

from services.campaign.domain.campaigns import CampaignStatus, CampaignSummary


class CampaignReader(Protocol):
    async def list_campaigns(
        self, tenant_id: str, status: CampaignStatus | None, limit: int
    ) -> list[CampaignSummary]:
        """Newest first."""
        ...
