"""The events that set off campaigns, each through its own durable consumer:
`member.enrolled` (enrollment), `member.tier_changed` upwards (tier_upgrade) and
`points.expiring` (points_expiring)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from nats.aio.msg import Msg

from libs.inbox import EventConsumer, Subscription
from libs.logging import get_logger
from libs.nats import NatsConnector
from libs.timestamps import aware
from loyalty.common.v1 import common_pb2
from loyalty.member.v1 import events_pb2 as member_events
from loyalty.points.v1 import events_pb2 as points_events
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.triggered import TriggerFacts
from services.campaign.campaigns.handlers.triggers import TriggeredEvent, TriggerRewards

ENROLMENTS = "campaign-enrolments"
TIER_UPGRADES = "campaign-tier-upgrades"
POINTS_EXPIRING = "campaign-points-expiring"
UPGRADE = "upgrade"
MARKETING = "marketing"

log = get_logger(__name__)


def _facts(meta: common_pb2.EventMeta, member_id: str) -> TriggerFacts:
    return TriggerFacts(
        tenant_id=meta.tenant_id,
        member_id=member_id,
        trigger_key=meta.event_id,
        occurred_at=aware(meta.occurred_at),
    )


def enrolment_from(data: bytes) -> TriggeredEvent:
    event = member_events.MemberEnrolled.FromString(data)
    facts = replace(
        _facts(event.meta, event.member_id),
        tier_code=event.tier_code,
        channel=event.channel,
        store_id=event.store_id,
        # The consents given at enrolment are the member's consents at that moment.
        marketing_consent=event.consents.get(MARKETING, False),
    )
    return TriggeredEvent(ENROLMENTS, Trigger.ENROLLMENT, facts)


def tier_upgrade_from(data: bytes) -> TriggeredEvent | None:
    event = member_events.MemberTierChanged.FromString(data)
    if event.reason != UPGRADE:
        return None
    facts = replace(_facts(event.meta, event.member_id), tier_code=event.to_tier)
    return TriggeredEvent(TIER_UPGRADES, Trigger.TIER_UPGRADE, facts)


def points_expiring_from(data: bytes) -> TriggeredEvent:
    event = points_events.PointsExpiring.FromString(data)
    return TriggeredEvent(
        POINTS_EXPIRING, Trigger.POINTS_EXPIRING, _facts(event.meta, event.member_id)
    )


class TriggerEventHandler:
    def __init__(
        self, parse: Callable[[bytes], TriggeredEvent | None], rewards: TriggerRewards
    ) -> None:
        self._parse = parse
        self._rewards = rewards

    async def __call__(self, msg: Msg) -> None:
        event = self._parse(msg.data)
        if event is None:
            return  # not a trigger (a downgrade, say)
        facts = event.facts
        if not (facts.trigger_key and facts.tenant_id and facts.member_id):
            # Redelivering a message that can never apply would only block the others.
            log.error("trigger_event_unusable", subject=msg.subject)
            return
        rewarded = await self._rewards(event)
        paid = [r for r in rewarded if not r.skipped]
        if paid:
            log.info("trigger_rewarded", trigger=event.trigger, campaigns=len(paid))


def trigger_consumers(connector: NatsConnector, rewards: TriggerRewards) -> list[EventConsumer]:
    wiring = (
        (ENROLMENTS, "member.enrolled", enrolment_from),
        (TIER_UPGRADES, "member.tier_changed", tier_upgrade_from),
        (POINTS_EXPIRING, "points.expiring", points_expiring_from),
    )
    return [
        EventConsumer(
            connector,
            Subscription(durable=durable, filter_subject=f"loyalty.*.{event_type}"),
            TriggerEventHandler(parse, rewards),
        )
        for durable, event_type, parse in wiring
    ]
