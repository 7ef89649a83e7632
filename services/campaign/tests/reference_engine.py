"""The rules engine as it was written before it was compiled: each campaign's conditions
read one after another for each order. Kept for the tests only, as the reference the
compiled engine (domain/ruleset.py) must answer exactly like."""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter

from services.campaign.campaigns.domain.engine import Applied, Outcome, Skipped, held_out
from services.campaign.campaigns.domain.facts import Line, Purchase
from services.campaign.campaigns.domain.rules import Campaign, Conditions, EffectType


def matching_lines(c: Conditions, p: Purchase) -> tuple[Line, ...]:
    cats, skus = c.categories, c.skus
    return tuple(
        line
        for line in p.lines
        if (not cats or line.category in cats) and (not skus or line.sku in skus)
    )


def _missed_local_time(c: Conditions, p: Purchase) -> str | None:
    local = p.occurred_at.astimezone(p.tz)
    if c.in_birthday_month and p.member.birth_month != local.month:
        return "birthday_month"
    if c.days_of_week and local.isoweekday() not in c.days_of_week:
        return "day_of_week"
    if c.hours is not None and not c.hours.contains(local.hour):
        return "hour"
    return None


def _missed_who_where(c: Conditions, p: Purchase) -> str | None:
    if c.channels and p.channel not in c.channels:
        return "channel"
    if c.store_ids and p.store_id not in c.store_ids:
        return "store"
    if c.tiers and p.member.tier_code not in c.tiers:
        return "tier"
    if c.segment_id and c.segment_id not in p.member.segments:
        return "segment"
    return None


def _missed_what(c: Conditions, p: Purchase) -> str | None:
    if c.min_total is not None and p.total < c.min_total:
        return "min_total"
    if c.first_purchase_only and not p.member.first_purchase:
        return "first_purchase_only"
    if c.min_days_since_enrolment is not None:
        enrolled = p.member.enrolled_at
        if enrolled is None or (p.occurred_at - enrolled).days < c.min_days_since_enrolment:
            return "days_since_enrolment"
    return None


def why_not(campaign: Campaign, p: Purchase) -> str | None:
    if campaign.starts_at is not None and p.occurred_at < campaign.starts_at:
        return "not_started"
    if campaign.ends_at is not None and p.occurred_at >= campaign.ends_at:
        return "ended"
    c = campaign.conditions
    missed = _missed_who_where(c, p) or _missed_what(c, p)
    if missed is None and (c.in_birthday_month or c.days_of_week or c.hours is not None):
        missed = _missed_local_time(c, p)
    if missed is None and (c.categories or c.skus) and not matching_lines(c, p):
        missed = "no_matching_lines"
    return missed


def effect_points(campaign: Campaign, p: Purchase) -> int:
    effect = campaign.effect
    if effect.type is EffectType.BONUS_POINTS:
        return max(0, effect.points)
    if effect.type is EffectType.COUPON:
        return 0
    base = sum(line.base_points for line in matching_lines(campaign.conditions, p))
    numerator, denominator = effect.factor_ratio
    return max(0, base * numerator // denominator - base)


def _grant(campaign: Campaign, p: Purchase) -> Applied | str:
    reason = why_not(campaign, p)
    if reason is not None:
        return reason
    effect = campaign.effect
    if effect.type is EffectType.COUPON and not p.member.marketing_consent:
        return "no_marketing_consent"
    if campaign.holdout_percent > 0 and held_out(campaign, p.member.member_id):
        return "holdout"
    if campaign.limits.budget_points == 0:
        return "budget_exhausted"
    points = effect_points(campaign, p)
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


def evaluate(campaigns: Sequence[Campaign], p: Purchase) -> Outcome:
    applied: list[Applied] = []
    skipped: list[Skipped] = []
    closed_by: str | None = None
    ranked = sorted(campaigns, key=attrgetter("campaign_id"))
    ranked.sort(key=attrgetter("priority"), reverse=True)
    for campaign in ranked:
        result = _grant(campaign, p)
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
