"""Campaign versions: a grant always names the rules that produced it, so the rules of a
campaign that may already have granted are never changed in place."""

from __future__ import annotations

from libs.errors import FailedPrecondition
from services.campaign.campaigns.domain.campaigns import CampaignStatus

# A campaign in these states may have granted under its current version.
GRANTING_STATES = frozenset({CampaignStatus.ACTIVE, CampaignStatus.PAUSED})


def version_after_edit(status: CampaignStatus, version: int) -> int:
    """An edit of an active (or paused) campaign makes a new version; a draft is edited
    in place, since nothing has been granted under it."""
    if status is CampaignStatus.ENDED:
        raise FailedPrecondition("an ended campaign cannot be edited")
    return version + 1 if status in GRANTING_STATES else version
