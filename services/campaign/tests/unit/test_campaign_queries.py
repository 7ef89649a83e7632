from datetime import UTC, datetime

import pytest

from libs.errors import InvalidArgument
from libs.paging import MAX_PAGE, page_size
from services.campaign.campaigns.domain.campaigns import (
    CampaignStatus,
    CampaignSummary,
    Trigger,
)
from services.campaign.campaigns.handlers.queries import list_campaigns


class ListedCampaigns:
    def __init__(self) -> None:
        self.asked: list[tuple[str, CampaignStatus | None, int]] = []

    async def list_campaigns(
        self, tenant_id: str, status: CampaignStatus | None, limit: int
    ) -> list[CampaignSummary]:
        self.asked.append((tenant_id, status, limit))
        now = datetime.now(UTC)
        return [
            CampaignSummary(
                "c1", "Welcome", Trigger.ENROLLMENT, CampaignStatus.ACTIVE, 1, now, None
            )
        ]


async def test_a_status_filter_is_passed_as_a_status() -> None:
    reader = ListedCampaigns()
    await list_campaigns("demo", "active", 10, reader)
    assert reader.asked == [("demo", CampaignStatus.ACTIVE, 10)]


async def test_an_unknown_status_is_refused_before_reading() -> None:
    reader = ListedCampaigns()
    with pytest.raises(InvalidArgument, match="status"):
        await list_campaigns("demo", "running", 10, reader)
    assert reader.asked == []


def test_a_page_defaults_to_fifty_and_is_capped() -> None:
    assert page_size(0) == 50
    assert page_size(10_000) == MAX_PAGE
    with pytest.raises(InvalidArgument):
        page_size(-1)
