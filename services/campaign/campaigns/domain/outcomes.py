"""What the rules engine answers for one purchase: the campaigns that apply and why each
other one does not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from libs.holdout import held_out as member_held_out
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
    return member_held_out(campaign.campaign_id, member_id, campaign.holdout_percent)
