"""Whether a purchase meets a campaign's schedule and conditions, and if not, why not."""

from __future__ import annotations

from collections.abc import Callable

from services.campaign.domain.facts import Line, Purchase
from services.campaign.domain.rules import Campaign, Conditions


def matching_lines(conditions: Conditions, purchase: Purchase) -> list[Line]:
    """Lines in any of the categories and any of the SKUs (each when given)."""
    cats, skus = conditions.categories, conditions.skus
    return [
        line
        for line in purchase.lines
        if (not cats or line.category in cats) and (not skus or line.sku in skus)
    ]


def _days_enrolled(purchase: Purchase) -> int | None:
    enrolled = purchase.member.enrolled_at
    return None if enrolled is None else (purchase.occurred_at - enrolled).days


def _too_new(c: Conditions, p: Purchase) -> bool:
    if c.min_days_since_enrolment is None:
        return False
    days = _days_enrolled(p)
    return days is None or days < c.min_days_since_enrolment


def _not_birthday_month(c: Conditions, p: Purchase) -> bool:
    return c.in_birthday_month and p.member.birth_month != p.local_time.month


_Check = tuple[str, Callable[[Conditions, Purchase], bool]]

# Cheapest and most selective first; the first failing check names the reason.
CHECKS: tuple[_Check, ...] = (
    ("channel", lambda c, p: bool(c.channels) and p.channel not in c.channels),
    ("store", lambda c, p: bool(c.store_ids) and p.store_id not in c.store_ids),
    ("tier", lambda c, p: bool(c.tiers) and p.member.tier_code not in c.tiers),
    ("segment", lambda c, p: bool(c.segment_id) and c.segment_id not in p.member.segments),
    ("min_total", lambda c, p: c.min_total is not None and p.total < c.min_total),
    ("first_purchase_only", lambda c, p: c.first_purchase_only and not p.member.first_purchase),
    ("days_since_enrolment", _too_new),
    ("birthday_month", _not_birthday_month),
    (
        "day_of_week",
        lambda c, p: bool(c.days_of_week) and p.local_time.isoweekday() not in c.days_of_week,
    ),
    ("hour", lambda c, p: c.hours is not None and not c.hours.contains(p.local_time.hour)),
    (
        "no_matching_lines",
        lambda c, p: bool(c.categories or c.skus) and not matching_lines(c, p),
    ),
)


def why_not(campaign: Campaign, purchase: Purchase) -> str | None:
    when = purchase.occurred_at
    if campaign.starts_at is not None and when < campaign.starts_at:
        return "not_started"
    if campaign.ends_at is not None and when >= campaign.ends_at:
        return "ended"
    return next((name for name, failed in CHECKS if failed(campaign.conditions, purchase)), None)
