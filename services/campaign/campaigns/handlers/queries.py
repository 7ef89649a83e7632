"""Reading campaigns."""

from __future__ import annotations

from libs.paging import page_size
from services.campaign.campaigns.domain.campaigns import (
    CampaignSummary,
    parse_status_filter,
)
from services.campaign.campaigns.domain.ports import CampaignReader


async def list_campaigns(
    tenant_id: str, status: str, limit: int, reader: CampaignReader
) -> list[CampaignSummary]:
    return await reader.list_campaigns(tenant_id, parse_status_filter(status), page_size(limit))
