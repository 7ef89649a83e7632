"""The rules engine: which campaigns a purchase earns, stacked by priority, with reasons
for every campaign that did not apply."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR

from services.campaign.domain.facts import Purchase
from services.campaign.domain.matching import matching_lines, why_not
from services.campaign.domain.rules import Campaign, EffectType


@dataclass(frozen=True)
class Applied:
    campaign_id: str
    campaign_version: int
    kind: EffectType
    points: int
    coupon_template_id: str
    description: str


@dataclass(frozen=True)
class Skipped:
    campaign_id: str
    campaign_version: int
    reason: str


@dataclass(frozen=True)
class Outcome:
    applied: tuple[Applied, ...]
    skipped: tuple[Skipped, ...]

    @property
    def bonus_points(self) -> int:
        return sum(a.points for a in self.applied)


def held_out(campaign: Campaign, member_id: str) -> bool:
    """The same member is always in or out of the same campaign's holdout."""
    if campaign.holdout_percent <= 0:
        return False
    digest = hashlib.sha256(f"{campaign.campaign_id}:{member_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100 < campaign.holdout_percent


def effect_points(campaign: Campaign, purchase: Purchase) -> int:
    effect = campaign.effect
    if effect.type is EffectType.BONUS_POINTS:
        return max(0, effect.points)
    if effect.type is EffectType.COUPON:
        return 0
    base = sum(line.base_points for line in matching_lines(campaign.conditions, purchase))
    extra = (base * (effect.factor - 1)).to_integral_value(rounding=ROUND_FLOOR)
    return max(0, int(extra))


def _reason(campaign: Campaign, purchase: Purchase) -> str | None:
    reason = why_not(campaign, purchase)
    if (
        reason is None
        and campaign.effect.type is EffectType.COUPON
        and not purchase.member.marketing_consent
    ):
        return "no_marketing_consent"
    if reason is None and held_out(campaign, purchase.member.member_id):
        return "holdout"
    if reason is None and campaign.limits.budget_points == 0:
        return "budget_exhausted"
    return reason


def _grant(campaign: Campaign, purchase: Purchase) -> Applied | str:
    reason = _reason(campaign, purchase)
    if reason is not None:
        return reason
    points = effect_points(campaign, purchase)
    if points <= 0 and campaign.effect.type is not EffectType.COUPON:
        return "no_points"
    return Applied(
        campaign.campaign_id,
        campaign.version,
        campaign.effect.type,
        points,
        campaign.effect.template_id,
        campaign.name,
    )


def evaluate(campaigns: Sequence[Campaign], purchase: Purchase) -> Outcome:
    """Highest priority first (ties by campaign id, so the order is stable). An exclusive
    campaign that applies stops every campaign after it; one that comes after others have
    applied is skipped instead."""
    applied: list[Applied] = []
    skipped: list[Skipped] = []
    closed_by: str | None = None
    for campaign in sorted(campaigns, key=lambda c: (-c.priority, c.campaign_id)):
        result = _grant(campaign, purchase)
        if isinstance(result, Applied) and closed_by is not None:
            result = f"excluded_by:{closed_by}"
        elif isinstance(result, Applied) and campaign.exclusive and applied:
            result = "exclusive_but_others_applied"
        if isinstance(result, str):
            skipped.append(Skipped(campaign.campaign_id, campaign.version, result))
            continue
        applied.append(result)
        if campaign.exclusive:
            closed_by = campaign.campaign_id
    return Outcome(tuple(applied), tuple(skipped))
