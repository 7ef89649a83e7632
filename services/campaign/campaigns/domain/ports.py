"""What the campaign handlers need from storage."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from services.campaign.campaigns.domain.campaigns import CampaignStatus, CampaignSummary, Trigger
from services.campaign.campaigns.domain.events import CampaignChanged
from services.campaign.campaigns.domain.lifecycle import CampaignRecord
from services.campaign.campaigns.domain.results import CampaignResults
from services.campaign.campaigns.domain.rules import Campaign

T = TypeVar("T")


class CampaignReader(Protocol):
    async def list_campaigns(
        self, tenant_id: str, status: CampaignStatus | None, limit: int
    ) -> list[CampaignSummary]:
        """Newest first."""
        ...


class ActiveCampaigns(Protocol):
    async def active_campaigns(self, tenant_id: str, trigger: Trigger) -> list[Campaign]:
        """The tenant's active campaigns with that trigger."""
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


class CampaignRepositories(Protocol):
    """What one campaign change writes, in one transaction with its events."""

    @property
    def campaigns(self) -> CampaignStore: ...

    @property
    def events(self) -> list[CampaignChanged]: ...


class CampaignUnitOfWork(Protocol):
    async def transaction(self, work: Callable[[CampaignRepositories], Awaitable[T]]) -> T: ...


class ResultsReader(Protocol):
    async def results(self, record: CampaignRecord) -> CampaignResults: ...
