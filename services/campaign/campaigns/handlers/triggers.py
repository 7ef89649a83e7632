"""Events that set off campaigns (an enrolment, a tier upgrade, points about to expire):
each active campaign with that trigger rewards the member, once per event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.ports import ActiveCampaigns
from services.campaign.campaigns.domain.triggered import TriggerFacts
from services.campaign.campaigns.handlers.rewards import Rewarded, RewardGranter


class EventClaims(Protocol):
    async def seen(self, consumer: str, event_id: str) -> bool:
        """Whether `consumer` has handled the event already."""
        ...

    async def claim(self, consumer: str, event_id: str) -> None:
        """Record that `consumer` handled the event."""
        ...


@dataclass(frozen=True)
class TriggeredEvent:
    consumer: str
    trigger: Trigger
    # facts.trigger_key is the event id.
    facts: TriggerFacts


@dataclass(frozen=True)
class TriggerRewards:
    campaigns: ActiveCampaigns
    granter: RewardGranter
    claims: EventClaims

    async def __call__(self, event: TriggeredEvent) -> list[Rewarded]:
        """The rewards handed out now; none for an event handled before. The claim comes
        after every campaign paid: a failure leaves the event to be redelivered, and the
        campaigns that paid the first time pay nothing more (their grant keys)."""
        facts = event.facts
        if await self.claims.seen(event.consumer, facts.trigger_key):
            return []
        active = await self.campaigns.active_campaigns(facts.tenant_id, event.trigger)
        rewarded = [await self.granter.reward(campaign, facts) for campaign in active]
        await self.claims.claim(event.consumer, facts.trigger_key)
        return rewarded
