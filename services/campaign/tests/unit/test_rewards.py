"""Rewarding one member for one trigger: once, within budget and limits, with consent."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.rules import Campaign, Conditions, Effect, EffectType
from services.campaign.campaigns.domain.triggered import TriggerFacts, unsupported_conditions
from services.campaign.tests.reward_fakes import AT, FakeHolds, FakePoints, RewardWorld

WELCOME = Campaign(
    "c-welcome",
    "Welcome bonus",
    3,
    AT - timedelta(days=1),
    AT + timedelta(days=30),
    Conditions(),
    Effect(EffectType.BONUS_POINTS, points=100),
)
COUPON = replace(
    WELCOME, campaign_id="c-coupon", effect=Effect(EffectType.COUPON, template_id="t-10off")
)
FACTS = TriggerFacts("demo", "m1", "evt-1", AT, tier_code="silver")


async def test_a_trigger_pays_once_with_a_key_of_campaign_version_and_trigger() -> None:
    world = RewardWorld()
    first = await world.granter().reward(WELCOME, FACTS)
    again = await world.granter().reward(WELCOME, FACTS)
    assert (first.points, first.replayed) == (100, False)
    assert again.replayed
    assert list(world.points.paid) == ["c-welcome:evt-1"]
    assert world.points.total("m1") == 100
    assert world.holds.states() == ["committed"]


async def test_a_reward_carries_its_reason_as_a_code_with_the_campaigns_names() -> None:
    named = replace(WELCOME, names=(("zh-CN", "欢迎礼"),))
    world = RewardWorld()
    await world.granter().reward(named, FACTS)
    (grant,) = world.points.paid.values()
    assert grant.reason == "Welcome bonus (v3)"
    assert grant.reason_code == "campaign_bonus"
    assert dict(grant.reason_params) == {
        "campaign_id": "c-welcome",
        "version": "3",
        "name": "Welcome bonus",
        "name.zh-CN": "欢迎礼",
    }


async def test_a_held_out_member_gets_nothing() -> None:
    held_out = replace(WELCOME, holdout_percent=100)
    world = RewardWorld()
    rewarded = await world.granter().reward(held_out, FACTS)
    assert rewarded.skipped == "holdout"
    assert world.points.paid == {}
    assert world.holds.holds == {}


async def test_an_exhausted_budget_grants_nothing() -> None:
    world = RewardWorld(holds=FakeHolds(left=0))
    rewarded = await world.granter().reward(WELCOME, FACTS)
    assert rewarded.skipped == "budget_exhausted"
    assert world.points.paid == {}


async def test_the_last_grant_pays_what_is_left_of_the_budget() -> None:
    world = RewardWorld(holds=FakeHolds(left=30))
    rewarded = await world.granter().reward(WELCOME, FACTS)
    assert rewarded.points == 30
    assert world.points.total("m1") == 30


async def test_a_member_at_the_limit_gets_nothing_more() -> None:
    world = RewardWorld(holds=FakeHolds(per_member=1))
    await world.granter().reward(WELCOME, FACTS)
    rewarded = await world.granter().reward(WELCOME, replace(FACTS, trigger_key="evt-2"))
    assert rewarded.skipped == "member_limit_reached"
    assert world.points.total("m1") == 100


async def test_a_failed_grant_releases_its_hold_and_raises_so_the_event_comes_again() -> None:
    world = RewardWorld(holds=FakeHolds(left=100), points=FakePoints(fail_next=1))
    with pytest.raises(ConnectionError):
        await world.granter().reward(WELCOME, FACTS)
    assert world.holds.states() == ["released"]
    assert world.holds.left == 100
    redelivered = await world.granter().reward(WELCOME, FACTS)
    assert (redelivered.points, world.holds.left, world.holds.states()) == (100, 0, ["committed"])


async def test_a_points_reward_needs_no_marketing_consent() -> None:
    world = RewardWorld()
    rewarded = await world.granter().reward(WELCOME, replace(FACTS, marketing_consent=False))
    assert rewarded.points == 100
    assert world.audience.asked == []


async def test_a_coupon_is_never_sent_without_marketing_consent() -> None:
    world = RewardWorld()
    refused = await world.granter().reward(COUPON, replace(FACTS, marketing_consent=False))
    unknown = await world.granter().reward(COUPON, replace(FACTS, member_id="m2"))
    assert refused.skipped == unknown.skipped == "no_marketing_consent"
    assert world.audience.asked == ["m2"]
    assert world.coupons.issued == {}
    assert world.holds.holds == {}


async def test_a_coupon_goes_once_to_a_member_who_consents() -> None:
    world = RewardWorld()
    world.audience.consenting.add("m1")
    first = await world.granter().reward(COUPON, FACTS)
    again = await world.granter().reward(COUPON, FACTS)
    assert first.coupon_id == "cpn-c-coupon:evt-1"
    assert again.replayed
    assert list(world.coupons.issued) == ["c-coupon:evt-1"]


async def test_a_segment_campaign_rewards_only_its_members() -> None:
    vip = replace(WELCOME, conditions=Conditions(segment_id="seg-vip"))
    world = RewardWorld()
    world.audience.segments["seg-vip"] = {"m2"}
    outside = await world.granter().reward(vip, FACTS)
    inside = await world.granter().reward(vip, replace(FACTS, member_id="m2"))
    assert (outside.skipped, inside.points) == ("segment", 100)
    assert world.points.total("m1") == 0


@pytest.mark.parametrize(
    ("campaign", "reason"),
    [
        (replace(WELCOME, starts_at=AT + timedelta(hours=1)), "not_started"),
        (replace(WELCOME, ends_at=AT), "ended"),
        (replace(WELCOME, conditions=Conditions(tiers=frozenset({"gold"}))), "tier"),
        (replace(WELCOME, conditions=Conditions(channels=frozenset({"app"}))), "channel"),
    ],
)
async def test_a_campaign_outside_its_window_or_conditions_pays_nothing(
    campaign: Campaign, reason: str
) -> None:
    world = RewardWorld()
    assert (await world.granter().reward(campaign, FACTS)).skipped == reason
    assert world.points.paid == {}


def test_conditions_only_a_purchase_can_answer_are_named_for_other_triggers() -> None:
    conditions = Conditions(channels=frozenset({"pos"}))
    assert unsupported_conditions(Trigger.ENROLLMENT, conditions) == []
    assert unsupported_conditions(Trigger.BIRTHDAY, conditions) == ["channels"]
    assert unsupported_conditions(Trigger.PURCHASE, Conditions(first_purchase_only=True)) == []
    assert unsupported_conditions(
        Trigger.TIER_UPGRADE, Conditions(first_purchase_only=True, tiers=frozenset({"gold"}))
    ) == ["first_purchase_only"]
