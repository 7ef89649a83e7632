"""Campaigns set off by an event or a job rather than a purchase: what they know about the
moment, which conditions they can check, and who they may contact."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.engine import held_out
from services.campaign.campaigns.domain.rules import Campaign, Conditions, EffectType

# Conditions only a purchase can answer (its lines, amount, time of day, the member's
# profile facts the points service sends with an order).
PURCHASE_ONLY = (
    "categories",
    "skus",
    "min_total",
    "first_purchase_only",
    "days_of_week",
    "hours",
    "in_birthday_month",
    "min_days_since_enrolment",
)
# Where the member walked in: only an order or an enrolment has one.
WITH_CHANNEL = frozenset({Trigger.PURCHASE, Trigger.ENROLLMENT})
# A daily job's member list and points.expiring name no tier (a segment can select one).
WITHOUT_TIER = frozenset({Trigger.BIRTHDAY, Trigger.POINTS_EXPIRING})


def unsupported_conditions(trigger: Trigger, conditions: Conditions) -> list[str]:
    """The conditions set on a campaign that its trigger cannot check (none for purchase)."""
    if trigger is Trigger.PURCHASE:
        return []
    default = Conditions()
    names = [n for n in PURCHASE_ONLY if getattr(conditions, n) != getattr(default, n)]
    if trigger not in WITH_CHANNEL:
        names += [n for n in ("channels", "store_ids") if getattr(conditions, n)]
    if trigger in WITHOUT_TIER and conditions.tiers:
        names.append("tiers")
    return names


def contacts_member(campaign: Campaign) -> bool:
    """A coupon is sent to the member, which is marketing contact; points credited to the
    wallet (a welcome bonus, say) are not, so they need no marketing consent."""
    return campaign.effect.type is EffectType.COUPON


@dataclass(frozen=True)
class TriggerFacts:
    """One member at one trigger, as known to the consumer or job that saw it."""

    tenant_id: str
    member_id: str
    # Unique per trigger of this kind: an event id, or member and year for a yearly job.
    trigger_key: str
    occurred_at: datetime
    # Empty when the trigger does not say; a campaign with tiers then does not apply.
    tier_code: str = ""
    channel: str = ""
    store_id: str = ""
    # None when the trigger does not say: asked of the member service if it matters.
    marketing_consent: bool | None = None


_Check = tuple[str, Callable[[Campaign, TriggerFacts], bool]]

# The first failing check names the reason.
CHECKS: tuple[_Check, ...] = (
    ("not_started", lambda c, f: c.starts_at is not None and f.occurred_at < c.starts_at),
    ("ended", lambda c, f: c.ends_at is not None and f.occurred_at >= c.ends_at),
    ("tier", lambda c, f: bool(c.conditions.tiers) and f.tier_code not in c.conditions.tiers),
    (
        "channel",
        lambda c, f: bool(c.conditions.channels) and f.channel not in c.conditions.channels,
    ),
    (
        "store",
        lambda c, f: bool(c.conditions.store_ids) and f.store_id not in c.conditions.store_ids,
    ),
    ("holdout", lambda c, f: held_out(c, f.member_id)),
    # A multiplier multiplies a purchase's points; there are none here.
    ("no_points", lambda c, f: c.effect.type is EffectType.MULTIPLIER),
)


def why_not_triggered(campaign: Campaign, facts: TriggerFacts) -> str | None:
    """The first reason the campaign does not reward this member now, or None. Consent is
    checked separately, since it may need asking."""
    return next((name for name, failed in CHECKS if failed(campaign, facts)), None)


def grant_key(campaign: Campaign, trigger_key: str) -> str:
    """Unique per tenant, so the points service or the coupon issuer pays it once; the
    same for every version of the campaign, so an event redelivered after an edit does not
    pay again."""
    return f"{campaign.campaign_id}:{trigger_key}"
