"""Win-back after inactivity campaigns: who was rewarded in the range, who bought again
within the days after, who may still, and what a campaign's trigger and a merge change."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.analytics.domain.buckets import AddReward, Known, MemberState, plan
from services.analytics.domain.facts import CampaignInfo, CampaignSeen, Rewarded
from services.analytics.domain.winback import RewardedMember, WinBack, win_back

pytestmark = pytest.mark.unit

TRIGGERS = {"back": "inactivity", "bday": "birthday"}
NOON = datetime(2026, 3, 1, 12, tzinfo=UTC)


def rewarded(*rewards: tuple[str, str], bought: tuple[str, ...] = ()) -> RewardedMember:
    return RewardedMember(rewards, bought)


def test_a_purchase_within_the_days_after_the_reward_wins_the_member_back() -> None:
    members = [
        rewarded(("back", "2026-03-01"), bought=("2026-02-01", "2026-03-31")),  # day 30: back
        rewarded(("back", "2026-03-01"), bought=("2026-04-01",)),  # day 31: too late
        rewarded(("back", "2026-03-01"), bought=("2026-03-01",)),  # the reward's day: back
        rewarded(("back", "2026-03-01")),  # never
    ]

    found = win_back(members, TRIGGERS, "2026-01-01", "2026-06-30", days=30)

    assert found == [WinBack("back", rewarded=4, won_back=2, waiting=0)]


def test_members_whose_days_are_not_over_are_waiting() -> None:
    members = [
        rewarded(("back", "2026-06-20")),
        rewarded(("back", "2026-06-20"), bought=("2026-06-25",)),
        rewarded(("back", "2026-06-20"), bought=("2026-07-02",)),  # after the report's day
    ]

    found = win_back(members, TRIGGERS, "2026-01-01", "2026-06-30", days=30)

    assert found == [WinBack("back", rewarded=3, won_back=1, waiting=2)]


def test_only_inactivity_campaigns_and_rewards_in_the_range_count_once_each() -> None:
    members = [
        rewarded(("bday", "2026-03-01"), bought=("2026-03-02",)),
        rewarded(("unknown", "2026-03-01"), bought=("2026-03-02",)),
        rewarded(("back", "2025-12-31"), bought=("2026-01-02",)),
        rewarded(("back", "2026-03-01"), ("back", "2026-05-01"), bought=("2026-03-05",)),
    ]

    found = win_back(members, TRIGGERS, "2026-01-01", "2026-06-30", days=30)

    assert found == [WinBack("back", rewarded=1, won_back=1, waiting=0)]


def test_a_campaign_change_is_remembered_with_its_trigger() -> None:
    campaign = CampaignInfo("back", "inactivity")

    assert plan(CampaignSeen("t1", "", NOON, campaign), "UTC").campaigns == [campaign]


def test_a_reward_naming_a_merged_member_is_its_survivors() -> None:
    fact = Rewarded("t1", "gone", NOON, "back")
    merged = Known(member=MemberState("gone", merged_into="kept"))

    assert plan(fact, "UTC", merged).members == [("kept", AddReward("back", "2026-03-01"))]
    assert plan(fact, "UTC").members == [("gone", AddReward("back", "2026-03-01"))]
