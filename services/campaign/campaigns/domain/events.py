"""What happened to a campaign, for the outbox (`campaign.changed`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from services.campaign.campaigns.domain.lifecycle import CampaignRecord


class Change(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    ACTIVATED = "activated"
    PAUSED = "paused"


@dataclass(frozen=True)
class CampaignChanged:
    event_id: str
    record: CampaignRecord
    change: Change
    at: datetime
