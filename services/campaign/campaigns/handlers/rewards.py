"""Reward one member for one trigger of a campaign that is not a purchase's: enrolment,
birthday, tier upgrade, points about to expire, inactivity."""

from __future__ import annotations

from dataclasses import dataclass

from libs.clock import Clock
from libs.logging import get_logger
from libs.reasons import CAMPAIGN_BONUS, campaign_bonus
from services.campaign.campaigns.domain.audience import AudienceLookup, MemberAudience
from services.campaign.campaigns.domain.grants import PointsGrant, PointsGranter
from services.campaign.campaigns.domain.reservations import Hold, Reservations
from services.campaign.campaigns.domain.rules import Campaign, EffectType
from services.campaign.campaigns.domain.triggered import (
    TriggerFacts,
    contacts_member,
    grant_key,
    why_not_triggered,
)
from services.campaign.coupons.domain.issues import CouponIssue, CouponIssuer

log = get_logger(__name__)
NO_CONSENT = "no_marketing_consent"


@dataclass(frozen=True)
class Rewarded:
    campaign_id: str
    # Why nothing was handed out now ("holdout", "no_marketing_consent",
    # "budget_exhausted", …), else empty.
    skipped: str = ""
    points: int = 0
    coupon_id: str = ""
    # Paid by an earlier run of the same trigger; nothing was handed out now.
    replayed: bool = False


@dataclass(frozen=True)
class RewardGranter:
    reservations: Reservations
    points: PointsGranter
    coupons: CouponIssuer
    audience: AudienceLookup
    clock: Clock

    async def reward(self, campaign: Campaign, facts: TriggerFacts) -> Rewarded:
        """Hand `campaign`'s reward to `facts.member_id` once for `facts.trigger_key`.

        The caller picks the tenant's active campaigns with the trigger (from memory) and
        calls this for each, with a trigger key unique per trigger: the event id for a
        consumer, "<member_id>:<year>" for a birthday, "<member_id>:<date>" for a daily job.

        Checks what can be checked outside a purchase (schedule, tiers, enrolment channel
        and store, holdout, the campaign's segment) and, for a campaign that contacts the
        member (a coupon), marketing consent: the trigger's word when it carries one, else
        the audience's. Then holds the budget and the member's limit under the trigger
        key, pays through the points service or the coupon issuer with the key
        "<campaign_id>:<trigger_key>", and commits the hold. Calling it again
        for the same trigger pays nothing more. If paying fails, the hold is released and
        the error raised, so the caller's event is redelivered (or its job retried).
        """
        why = why_not_triggered(campaign, facts) or await self._outside_audience(campaign, facts)
        if why is not None:
            return Rewarded(campaign.campaign_id, skipped=why)
        hold = await self.reservations.reserve(
            facts.tenant_id,
            facts.trigger_key,
            facts.member_id,
            campaign,
            points=campaign.effect.points if campaign.effect.type is EffectType.BONUS_POINTS else 0,
            now=self.clock(),
        )
        if hold.refused:
            return Rewarded(campaign.campaign_id, skipped=hold.refused)
        if hold.committed:
            return Rewarded(campaign.campaign_id, points=hold.points, replayed=True)
        return await self._pay(campaign, facts, hold)

    async def _outside_audience(self, campaign: Campaign, facts: TriggerFacts) -> str | None:
        """Not in the campaign's segment, or contacted without marketing consent."""
        segment, contacts = campaign.conditions.segment_id, contacts_member(campaign)
        ask_consent = contacts and facts.marketing_consent is None
        known = MemberAudience()
        if segment or ask_consent:
            segments = frozenset({segment}) if segment else frozenset()
            known = await self.audience.member_audience(
                facts.tenant_id, facts.member_id, segments, ask_consent
            )
        if segment and segment not in known.segments:
            return "segment"
        consents = known.marketing_consent if ask_consent else bool(facts.marketing_consent)
        return NO_CONSENT if contacts and not consents else None

    async def _pay(self, campaign: Campaign, facts: TriggerFacts, hold: Hold) -> Rewarded:
        try:
            rewarded = await self._hand_out(campaign, facts, hold)
        except BaseException:
            await self.reservations.settle(facts.tenant_id, hold.hold_id, commit=False)
            raise
        await self.reservations.settle(facts.tenant_id, hold.hold_id, commit=True)
        log.info(
            "campaign_reward_granted",
            campaign_id=campaign.campaign_id,
            member_id=facts.member_id,
            points=rewarded.points,
            coupon_id=rewarded.coupon_id,
            replayed=rewarded.replayed,
        )
        return rewarded

    async def _hand_out(self, campaign: Campaign, facts: TriggerFacts, hold: Hold) -> Rewarded:
        key = grant_key(campaign, facts.trigger_key)
        if campaign.effect.type is EffectType.COUPON:
            coupon = await self.coupons.issue(
                CouponIssue(
                    tenant_id=facts.tenant_id,
                    member_id=facts.member_id,
                    template_id=campaign.effect.template_id,
                    issue_key=key,
                    campaign_id=campaign.campaign_id,
                    campaign_version=campaign.version,
                )
            )
            return Rewarded(
                campaign.campaign_id, coupon_id=coupon.coupon_id, replayed=coupon.replayed
            )
        granted = await self.points.grant(
            PointsGrant(
                tenant_id=facts.tenant_id,
                member_id=facts.member_id,
                grant_key=key,
                points=hold.points,
                campaign_id=campaign.campaign_id,
                campaign_version=campaign.version,
                reason=f"{campaign.name} (v{campaign.version})",
                reason_code=CAMPAIGN_BONUS,
                reason_params=tuple(
                    campaign_bonus(
                        campaign.campaign_id, campaign.version, campaign.name, dict(campaign.names)
                    ).items()
                ),
            )
        )
        return Rewarded(campaign.campaign_id, points=granted.points, replayed=granted.replayed)
