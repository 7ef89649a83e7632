"""Events that set off campaigns: enrolments, tier upgrades, points about to expire."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta

from libs.timestamps import timestamp
from loyalty.common.v1 import common_pb2
from loyalty.member.v1 import events_pb2 as member_events
from loyalty.points.v1 import events_pb2 as points_events
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.rules import Campaign, Conditions, Effect, EffectType
from services.campaign.campaigns.entrypoints.consumers.triggers import (
    enrolment_from,
    points_expiring_from,
    tier_upgrade_from,
)
from services.campaign.campaigns.handlers.triggers import TriggerRewards
from services.campaign.tests.reward_fakes import AT, RewardWorld

WELCOME = Campaign(
    "c-welcome",
    "Welcome bonus",
    1,
    AT - timedelta(days=1),
    None,
    Conditions(),
    Effect(EffectType.BONUS_POINTS, points=100),
)
GOLD_COUPON = replace(
    WELCOME,
    campaign_id="c-gold",
    conditions=Conditions(tiers=frozenset({"gold"})),
    effect=Effect(EffectType.COUPON, template_id="t-gold"),
)


def meta(event_type: str, event_id: str = "evt-1") -> common_pb2.EventMeta:
    at = timestamp(AT)
    return common_pb2.EventMeta(
        event_id=event_id, tenant_id="demo", type=event_type, occurred_at=at
    )


def enrolment(marketing: bool, event_id: str = "evt-1") -> bytes:
    return member_events.MemberEnrolled(
        meta=meta("member.enrolled", event_id),
        member_id="m1",
        channel="app",
        tier_code="member",
        consents={"marketing": marketing},
    ).SerializeToString()


class Active:
    def __init__(self, *campaigns: Campaign) -> None:
        self._campaigns = campaigns

    async def active_campaigns(self, tenant_id: str, trigger: Trigger) -> list[Campaign]:
        return list(self._campaigns) if tenant_id == "demo" else []


@dataclass
class FakeClaims:
    claimed: set[str] = field(default_factory=set)

    async def seen(self, consumer: str, event_id: str) -> bool:
        return f"{consumer}:{event_id}" in self.claimed

    async def claim(self, consumer: str, event_id: str) -> None:
        self.claimed.add(f"{consumer}:{event_id}")


async def test_an_enrolment_event_handled_twice_pays_the_welcome_bonus_once() -> None:
    world, claims = RewardWorld(), FakeClaims()
    handle = TriggerRewards(Active(WELCOME), world.granter(), claims)
    event = enrolment_from(enrolment(marketing=False))

    first = await handle(event)
    again = await handle(event)

    assert [r.points for r in first] == [100]
    assert again == []
    assert list(world.points.paid) == ["c-welcome:evt-1"]


async def test_an_enrolment_carries_its_consents_and_a_coupon_needs_marketing_consent() -> None:
    coupon = replace(GOLD_COUPON, conditions=Conditions())
    world = RewardWorld()
    handle = TriggerRewards(Active(WELCOME, coupon), world.granter(), FakeClaims())

    silent = await handle(enrolment_from(enrolment(marketing=False)))
    consenting = await handle(enrolment_from(enrolment(marketing=True, event_id="evt-2")))

    assert [r.skipped for r in silent] == ["", "no_marketing_consent"]
    assert [r.skipped for r in consenting] == ["", ""]
    assert world.audience.asked == []  # the event said so; nobody was asked


async def test_only_an_upgrade_sets_off_tier_upgrade_campaigns_for_the_tier_reached() -> None:
    def changed(reason: str, to_tier: str) -> bytes:
        return member_events.MemberTierChanged(
            meta=meta("member.tier_changed"),
            member_id="m1",
            from_tier="silver",
            to_tier=to_tier,
            reason=reason,
        ).SerializeToString()

    upgrade = tier_upgrade_from(changed("upgrade", "gold"))
    assert tier_upgrade_from(changed("downgrade", "member")) is None
    assert upgrade is not None
    assert (upgrade.trigger, upgrade.facts.tier_code) == (Trigger.TIER_UPGRADE, "gold")
    world = RewardWorld()
    world.audience.consenting.add("m1")
    [rewarded] = await TriggerRewards(Active(GOLD_COUPON), world.granter(), FakeClaims())(upgrade)
    assert rewarded.coupon_id == "cpn-c-gold:evt-1"
    assert world.audience.asked == ["m1"]


def test_points_about_to_expire_set_off_points_expiring_campaigns() -> None:
    event = points_events.PointsExpiring(
        meta=meta("points.expiring"), member_id="m1", points=300
    ).SerializeToString()
    parsed = points_expiring_from(event)
    assert (parsed.trigger, parsed.facts.member_id, parsed.facts.trigger_key) == (
        Trigger.POINTS_EXPIRING,
        "m1",
        "evt-1",
    )
    assert parsed.facts.occurred_at == AT
