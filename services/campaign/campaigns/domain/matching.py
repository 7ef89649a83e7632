"""Whether a purchase meets a campaign's schedule and conditions, and if not, why not."""

from __future__ import annotations

from services.campaign.campaigns.domain.facts import Line, Purchase
from services.campaign.campaigns.domain.rules import Campaign, Conditions


def matching_lines(conditions: Conditions, purchase: Purchase) -> tuple[Line, ...]:
    """Lines in any of the categories and any of the SKUs (each when given)."""
    cats, skus = conditions.categories, conditions.skus
    known = purchase.lines_by_condition
    found = known.get((cats, skus))
    if found is None:
        found = known[cats, skus] = tuple(
            line
            for line in purchase.lines
            if (not cats or line.category in cats) and (not skus or line.sku in skus)
        )
    return found


def matching_base_points(conditions: Conditions, purchase: Purchase) -> int:
    """The base points of the lines in any of the categories and any of the SKUs."""
    key = (conditions.categories, conditions.skus)
    known = purchase.base_points_by_condition
    found = known.get(key)
    if found is None:
        found = known[key] = sum(line.base_points for line in matching_lines(conditions, purchase))
    return found


def _too_new(c: Conditions, p: Purchase) -> bool:
    enrolled = p.member.enrolled_at
    return enrolled is None or (p.occurred_at - enrolled).days < (c.min_days_since_enrolment or 0)


def _missed_local_time(c: Conditions, p: Purchase) -> str | None:
    """The checks read in the tenant's time zone (the local time is computed only here)."""
    local = p.local_time
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
    if c.min_days_since_enrolment is not None and _too_new(c, p):
        return "days_since_enrolment"
    return None


def why_not(campaign: Campaign, purchase: Purchase) -> str | None:
    """The first condition the purchase misses, cheapest and most selective first.

    Written out as plain tests rather than a table of callables: this runs once per active
    campaign for every order, and calls are most of what it costs (docs/performance.md)."""
    when = purchase.occurred_at
    if campaign.starts_at is not None and when < campaign.starts_at:
        return "not_started"
    if campaign.ends_at is not None and when >= campaign.ends_at:
        return "ended"
    c = campaign.conditions
    missed = _missed_who_where(c, purchase) or _missed_what(c, purchase)
    if missed is None and (c.in_birthday_month or c.days_of_week or c.hours is not None):
        missed = _missed_local_time(c, purchase)
    if missed is None and (c.categories or c.skus) and not matching_lines(c, purchase):
        missed = "no_matching_lines"
    return missed
