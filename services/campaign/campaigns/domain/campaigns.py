"""Campaigns as operators see them in a list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from libs.errors import InvalidArgument
from libs.languages import Translations


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


class Trigger(StrEnum):
    PURCHASE = "purchase"
    ENROLLMENT = "enrollment"
    BIRTHDAY = "birthday"
    TIER_UPGRADE = "tier_upgrade"
    INACTIVITY = "inactivity"
    POINTS_EXPIRING = "points_expiring"


@dataclass(frozen=True)
class CampaignSummary:
    campaign_id: str
    name: str
    trigger: Trigger
    status: CampaignStatus
    version: int
    starts_at: datetime | None
    ends_at: datetime | None
    # name (and description) in other languages
    translations: Translations = field(default_factory=Translations)


def parse_status_filter(raw: str) -> CampaignStatus | None:
    if not raw:
        return None
    try:
        return CampaignStatus(raw)
    except ValueError:
        allowed = ", ".join(s.value for s in CampaignStatus)
        raise InvalidArgument(f"status: must be one of {allowed}") from None
