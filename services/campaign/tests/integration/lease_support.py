"""What the budget lease tests share: a campaign of ten points a bag with a budget."""

from __future__ import annotations

from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.definitions import Definition
from services.campaign.campaigns.domain.rules import Conditions, Effect, EffectType, Limits

TEN_POINTS_A_BAG = Definition(
    "Ten points a bag",
    Trigger.PURCHASE,
    None,
    None,
    Conditions(),
    Effect(EffectType.BONUS_POINTS, points=10),
    limits=Limits(budget_points=1000),
)
