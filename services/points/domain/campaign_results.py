"""What the campaign service said of an order, kept with it: the campaigns that applied,
and why each other active purchase campaign did not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from services.points.domain.accrual import CampaignBonus, EarningLine, Source


class EffectKind(StrEnum):
    POINTS = "points"
    COUPON = "coupon"


@dataclass(frozen=True)
class SkippedCampaign:
    """An active purchase campaign that did not apply, with the campaign service's reason
    code (`min_total`, `budget_exhausted`, `excluded_by:<campaign id>`, …)."""

    campaign_id: str
    campaign_version: int
    reason: str


@dataclass(frozen=True)
class AppliedCampaign:
    campaign_id: str
    campaign_version: int
    points: int
    kind: EffectKind
    description: str


@dataclass(frozen=True)
class CampaignAnswer:
    """The campaign service's answer to an order: the effects to credit and settle, and
    the campaigns it skipped."""

    bonuses: tuple[CampaignBonus, ...] = ()
    skipped: tuple[SkippedCampaign, ...] = ()


@dataclass(frozen=True)
class CampaignResults:
    """What an order keeps of its evaluation beyond its breakdown (whose campaign lines are
    the points campaigns that applied): the coupon campaigns that applied, and the skipped
    ones. Empty when the evaluation missed the order's deadline."""

    coupons: tuple[AppliedCampaign, ...] = ()
    skipped: tuple[SkippedCampaign, ...] = ()


def _is_coupon(bonus: CampaignBonus) -> bool:
    """A coupon effect earns no points; its hold is settled with the order's."""
    return bonus.points == 0 and bool(bonus.reservation_id)


def results_of(answer: CampaignAnswer) -> CampaignResults:
    coupons = tuple(
        AppliedCampaign(b.campaign_id, b.campaign_version, 0, EffectKind.COUPON, b.description)
        for b in answer.bonuses
        if _is_coupon(b)
    )
    return CampaignResults(coupons, answer.skipped)


def applied_campaigns(
    breakdown: Sequence[EarningLine], results: CampaignResults
) -> tuple[AppliedCampaign, ...]:
    """Every campaign whose effect the order got: its campaign lines (bonuses granted after
    the deadline included), then the coupons."""
    points = tuple(
        AppliedCampaign(
            line.campaign_id,
            line.campaign_version,
            line.points,
            EffectKind.POINTS,
            line.description,
        )
        for line in breakdown
        if line.source is Source.CAMPAIGN
    )
    return points + results.coupons
