"""A campaign's audience split by its holdout hash: what targeted and held-out members
bought over the campaign's window, and the uplift in spend per member."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from libs.uplift import Uplift, welch_uplift
from services.campaign.campaigns.domain.engine import held_out
from services.campaign.campaigns.domain.history import CENT, from_cents
from services.campaign.campaigns.domain.rules import Campaign
from services.campaign.campaigns.domain.segments import WindowStats


@dataclass(frozen=True)
class GroupFigures:
    members: int
    orders: int
    spend: Decimal

    @property
    def orders_per_member(self) -> Decimal:
        if not self.members:
            return Decimal("0.00")
        return (Decimal(self.orders) / self.members).quantize(CENT)

    @property
    def spend_per_member(self) -> Decimal:
        if not self.members:
            return Decimal("0.00")
        return (self.spend / self.members).quantize(CENT)


@dataclass(frozen=True)
class HoldoutComparison:
    targeted: GroupFigures
    held_out: GroupFigures
    uplift: Uplift | None


def _figures(members: list[str], stats: Mapping[str, WindowStats]) -> GroupFigures:
    orders = sum(stats.get(m, WindowStats()).orders for m in members)
    cents = sum(stats.get(m, WindowStats()).spend_cents for m in members)
    return GroupFigures(len(members), orders, from_cents(cents))


def compare(
    campaign: Campaign, audience: Iterable[str], stats: Mapping[str, WindowStats]
) -> HoldoutComparison:
    """Every audience member counts, buyers or not (a member who bought nothing spent 0)."""
    targeted: list[str] = []
    out: list[str] = []
    for member_id in sorted(set(audience)):
        (out if held_out(campaign, member_id) else targeted).append(member_id)
    spend = {m: stats.get(m, WindowStats()).spend_cents for m in (*targeted, *out)}
    return HoldoutComparison(
        _figures(targeted, stats),
        _figures(out, stats),
        welch_uplift([spend[m] for m in targeted], [spend[m] for m in out]),
    )
