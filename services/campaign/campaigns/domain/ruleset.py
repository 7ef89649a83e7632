"""A set of active campaigns compiled once for the rules engine: ranked by priority, each
campaign's conditions a bit mask (condition_bits.py), and every answer that does not depend
on the order (its skip reasons, a bonus's grant) made in advance. Evaluating an order then
costs a few look-ups for the order and a mask test per campaign."""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter

from services.campaign.campaigns.domain.audience import audience_needs
from services.campaign.campaigns.domain.condition_bits import (
    ConditionBits,
    conditions_of,
    line_key,
)
from services.campaign.campaigns.domain.facts import Purchase
from services.campaign.campaigns.domain.outcomes import Applied, Outcome, Skipped, held_out
from services.campaign.campaigns.domain.rules import Campaign, EffectType

# (line filter's index, the factor's numerator and denominator, and what its grant says
# besides the points: campaign id, version, kind, coupon template, description)
_Multiplier = tuple[int, int, int, str, int, EffectType, str, str]
# (condition bits, skip by lowest failed bit, holdout skip, answer once the conditions
# hold: a multiplier's when it earns nothing, the multiplier, the campaign)
_Entry = tuple[
    int, dict[int, Skipped], Skipped | None, Applied | Skipped, _Multiplier | None, Campaign
]


def ranked(campaigns: Sequence[Campaign]) -> list[Campaign]:
    """Highest priority first, ties by campaign id (two sorts with C-level keys)."""
    order = sorted(campaigns, key=attrgetter("campaign_id"))
    order.sort(key=attrgetter("priority"), reverse=True)
    return order


def _skip(campaign: Campaign, reason: str) -> Skipped:
    return Skipped(campaign.campaign_id, campaign.version, reason)


def _applied(campaign: Campaign, points: int) -> Applied:
    effect = campaign.effect
    return Applied(
        campaign.campaign_id,
        campaign.version,
        effect.type,
        points,
        effect.template_id,
        campaign.name,
    )


class CompiledRules:
    def __init__(self, campaigns: Sequence[Campaign]) -> None:
        self.campaigns = ranked(campaigns)
        self.by_id = {c.campaign_id: c for c in self.campaigns}
        self.audience_needs = audience_needs(self.campaigns)
        self._bits = ConditionBits(self.campaigns)
        self._entries = [self._entry(c) for c in self.campaigns]

    def _entry(self, campaign: Campaign) -> _Entry:
        bit = self._bits.bit
        skips = {
            bit[reason, value]: _skip(campaign, reason) for reason, value in conditions_of(campaign)
        }
        holdout = _skip(campaign, "holdout") if campaign.holdout_percent > 0 else None
        effect, multiplier = campaign.effect, None
        fixed: Applied | Skipped = _skip(campaign, "no_points")
        if campaign.limits.budget_points == 0:
            fixed = _skip(campaign, "budget_exhausted")
        elif effect.type is EffectType.COUPON:
            fixed = _applied(campaign, 0)
        elif effect.type is EffectType.BONUS_POINTS:
            if effect.points > 0:
                fixed = _applied(campaign, effect.points)
        else:
            numerator, denominator = effect.factor_ratio
            key = self._bits.line_keys[line_key(campaign)]
            cid, version, name = campaign.campaign_id, campaign.version, campaign.name
            multiplier = (
                key,
                numerator,
                denominator,
                cid,
                version,
                effect.type,
                effect.template_id,
                name,
            )
        # its bits are distinct, so their sum is their union
        return sum(skips), skips, holdout, fixed, multiplier, campaign

    def evaluate(self, purchase: Purchase) -> Outcome:
        """An exclusive campaign that applies stops every campaign after it; one that comes
        after others have applied is skipped instead."""
        line_failed, bases = self._bits.lines(purchase)
        failed = self._bits.failed(purchase) | line_failed
        member_id = purchase.member.member_id
        applied: list[Applied] = []
        skipped: list[Skipped] = []
        closed_by: str | None = None
        for mask, skips, holdout, fixed, multiplier, campaign in self._entries:
            hit = failed & mask
            if hit:
                skipped.append(skips[hit & -hit])
                continue
            if holdout is not None and held_out(campaign, member_id):
                skipped.append(holdout)
                continue
            result = fixed
            if multiplier is not None:
                key, numerator, denominator, cid, version, kind, template, name = multiplier
                base = bases[key]
                # floor(base * factor) - base is floor(base * (factor - 1)), base being whole
                points = base * numerator // denominator - base
                if points > 0:
                    result = Applied(cid, version, kind, points, template, name)
            if isinstance(result, Skipped):
                skipped.append(result)
            elif closed_by is not None:
                skipped.append(_skip(campaign, f"excluded_by:{closed_by}"))
            elif not campaign.exclusive:
                applied.append(result)
            elif applied:
                skipped.append(_skip(campaign, "exclusive_but_others_applied"))
            else:
                applied.append(result)
                closed_by = campaign.campaign_id
        return Outcome(tuple(applied), tuple(skipped))
