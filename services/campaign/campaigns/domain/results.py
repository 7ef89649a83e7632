"""What a campaign has done so far."""

from __future__ import annotations

from dataclasses import dataclass

from services.campaign.campaigns.domain.holdout import HoldoutComparison


@dataclass(frozen=True)
class CampaignResults:
    members_reached: int = 0
    points_granted: int = 0
    grants: int = 0
    points_reserved: int = 0
    # None when the campaign has no budget
    budget_left: int | None = None
    # Targeted against held-out members, for a campaign with a holdout.
    holdout: HoldoutComparison | None = None
