"""What a campaign has done so far (its comparison with its held-out members is the
analytics read model's, composed by the gateway)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CampaignResults:
    members_reached: int = 0
    points_granted: int = 0
    grants: int = 0
    points_reserved: int = 0
    # None when the campaign has no budget
    budget_left: int | None = None
