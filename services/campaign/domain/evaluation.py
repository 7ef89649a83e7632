"""What a purchase earns beyond the base: the active purchase campaigns whose schedule
and conditions it meets, and the points each one's effect is worth."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal


@dataclass(frozen=True)
class Conditions:
    """Each one optional; a set means "any of"."""

    channels: frozenset[str] = frozenset()
    store_ids: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    tiers: frozenset[str] = frozenset()
    min_total: Decimal | None = None


POINTS_EFFECTS = ("multiplier", "bonus_points")


@dataclass(frozen=True)
class Effect:
    # multiplier (of the matching lines' base points) or bonus_points
    type: str
    factor: Decimal = Decimal(1)
    points: int = 0


@dataclass(frozen=True)
class PurchaseCampaign:
    campaign_id: str
    name: str
    version: int
    starts_at: datetime | None
    ends_at: datetime | None
    conditions: Conditions
    effect: Effect | None
    # A budget, per-member limits or a holdout, which this evaluator cannot honour yet.
    limited: bool = False


@dataclass(frozen=True)
class PricedLine:
    sku: str
    category: str
    quantity: int
    amount: Decimal
    base_points: int


@dataclass(frozen=True)
class OrderFacts:
    member_id: str
    tier_code: str
    channel: str
    store_id: str
    occurred_at: datetime
    total: Decimal
    lines: tuple[PricedLine, ...]


@dataclass(frozen=True)
class PointsEffect:
    campaign_id: str
    campaign_version: int
    points: int
    description: str


@dataclass(frozen=True)
class Skipped:
    campaign_id: str
    reason: str


def _matching_lines(campaign: PurchaseCampaign, order: OrderFacts) -> list[PricedLine]:
    wanted = campaign.conditions.categories
    return [line for line in order.lines if not wanted or line.category in wanted]


def _why_not(campaign: PurchaseCampaign, order: OrderFacts) -> str | None:
    c, when = campaign.conditions, order.occurred_at
    checks = [
        (campaign.starts_at is not None and when < campaign.starts_at, "not_started"),
        (campaign.ends_at is not None and when >= campaign.ends_at, "ended"),
        (campaign.effect is None, "no_effect"),
        (campaign.effect is not None and campaign.effect.type not in POINTS_EFFECTS, "not_points"),
        (campaign.limited, "limits_not_enforced_yet"),
        (bool(c.channels) and order.channel not in c.channels, "channel"),
        (bool(c.store_ids) and order.store_id not in c.store_ids, "store"),
        (bool(c.tiers) and order.tier_code not in c.tiers, "tier"),
        (c.min_total is not None and order.total < c.min_total, "min_total"),
        (not _matching_lines(campaign, order), "no_matching_lines"),
    ]
    return next((reason for failed, reason in checks if failed), None)


def _points(effect: Effect, lines: Sequence[PricedLine]) -> int:
    if effect.type == "bonus_points":
        return effect.points
    base = sum(line.base_points for line in lines)
    extra = (base * (effect.factor - 1)).to_integral_value(rounding=ROUND_FLOOR)
    return max(0, int(extra))


def evaluate(
    campaigns: Sequence[PurchaseCampaign], order: OrderFacts
) -> tuple[list[PointsEffect], list[Skipped]]:
    effects: list[PointsEffect] = []
    skipped: list[Skipped] = []
    for campaign in campaigns:
        reason = _why_not(campaign, order)
        if reason is not None or campaign.effect is None:
            skipped.append(Skipped(campaign.campaign_id, reason or "no_effect"))
            continue
        points = _points(campaign.effect, _matching_lines(campaign, order))
        if points <= 0:
            skipped.append(Skipped(campaign.campaign_id, "no_points"))
            continue
        effects.append(PointsEffect(campaign.campaign_id, campaign.version, points, campaign.name))
    return effects, skipped
