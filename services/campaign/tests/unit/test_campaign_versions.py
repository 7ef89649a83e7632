"""Editing a campaign: which edits make a new version."""

from __future__ import annotations

import pytest

from libs.errors import FailedPrecondition
from services.campaign.campaigns.domain.campaigns import CampaignStatus
from services.campaign.campaigns.domain.versions import version_after_edit


def test_editing_a_draft_keeps_its_version() -> None:
    assert version_after_edit(CampaignStatus.DRAFT, 1) == 1


@pytest.mark.parametrize("status", [CampaignStatus.ACTIVE, CampaignStatus.PAUSED])
def test_editing_a_campaign_that_may_have_granted_makes_a_new_version(
    status: CampaignStatus,
) -> None:
    assert version_after_edit(status, 3) == 4


def test_an_ended_campaign_cannot_be_edited() -> None:
    with pytest.raises(FailedPrecondition):
        version_after_edit(CampaignStatus.ENDED, 3)
