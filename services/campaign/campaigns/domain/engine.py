"""The rules engine: which campaigns a purchase earns, stacked by priority, with reasons
for every campaign that did not apply."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import NamedTuple

from services.campaign.campaigns.domain.facts import Purchase
from services.campaign.campaigns.domain.matching import matching_base_points, why_not
from services.campaign.campaigns.domain.rules import Campaign, EffectType


class Applied(NamedTuple):
    """A named tuple rather than a frozen dataclass, like `Skipped`: one is made for every
    active campaign of every order, and a frozen dataclass costs several times as much to
    build (docs/performance.md)."""

    campaign_id: str
    campaign_version: int
    kind: EffectType
    points: int
    coupon_template_id: str
    description: str


class Skipped(NamedTuple):
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
    base = matching_base_points(campaign.conditions, purchase)
    numerator, denominator = effect.factor_ratio
    # floor(base * factor) - base is floor(base * (factor - 1)), base being whole
    return max(0, base * numerator // denominator - base)


def _grant(campaign: Campaign, purchase: Purchase) -> Applied | str:
    """What the campaign grants for the purchase, or why it grants nothing."""
    reason = why_not(campaign, purchase)
    if reason is not None:
        return reason
    effect = campaign.effect
    if effect.type is EffectType.COUPON and not purchase.member.marketing_consent:
        return "no_marketing_consent"
    if campaign.holdout_percent > 0 and held_out(campaign, purchase.member.member_id):
        return "holdout"
    if campaign.limits.budget_points == 0:
        return "budget_exhausted"
    points = effect_points(campaign, purchase)
    if points <= 0 and effect.type is not EffectType.COUPON:
        return "no_points"
    return Applied(
        campaign.campaign_id,
        campaign.version,
        effect.type,
        points,
        effect.template_id,
        campaign.name,
    )


def evaluate(campaigns: Sequence[Campaign], purchase: Purchase) -> Outcome:
    """Highest priority first (ties by campaign id, so the order is stable). An exclusive
    campaign that applies stops every campaign after it; one that comes after others have
    applied is skipped instead."""
    applied: list[Applied] = []
    skipped: list[Skipped] = []
    closed_by: str | None = None
    # two sorts with C-level keys: by id, then (stably) by priority, highest first
    ranked = sorted(campaigns, key=attrgetter("campaign_id"))
    ranked.sort(key=attrgetter("priority"), reverse=True)
    for campaign in ranked:
        result = _grant(campaign, purchase)
        if not isinstance(result, str):
            if closed_by is not None:
                result = f"excluded_by:{closed_by}"
            elif campaign.exclusive and applied:
                result = "exclusive_but_others_applied"
        if isinstance(result, str):
            skipped.append(Skipped(campaign.campaign_id, campaign.version, result))
            continue
        applied.append(result)
        if campaign.exclusive:
            closed_by = campaign.campaign_id
    return Outcome(tuple(applied), tuple(skipped))
