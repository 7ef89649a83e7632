"""The record kept of each order seen."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from services.points.domain.accrual import Accrual, EarningLine
from services.points.domain.campaign_results import (
    AppliedCampaign,
    CampaignResults,
    applied_campaigns,
)
from services.points.domain.exchange import Conversion
from services.points.domain.orders import Order
from services.points.domain.pricing import PricedLine, PricedOrder


@dataclass
class OrderRecord:
    """An order seen: its first answer (replayed to retries), what the campaign service
    said of it, the campaign bonuses granted for it later (a bonus settled after the
    order's deadline), and what returns took back."""

    tenant_id: str
    order_id: str
    member_id: str
    fingerprint: str
    currency: str
    total: Decimal
    lines: tuple[PricedLine, ...]
    lot_ids: tuple[str, ...]
    answer: Accrual
    created_at: datetime
    bonus_pending: bool = False
    reversed_points: int = 0
    returned_quantities: dict[str, int] = field(default_factory=dict)
    returned_amount: Decimal = Decimal(0)
    bonuses: tuple[EarningLine, ...] = ()
    version: int = 0
    channel: str = ""
    store_id: str = ""
    # None for orders recorded before the time was kept.
    occurred_at: datetime | None = None
    campaigns: CampaignResults = field(default_factory=CampaignResults)
    # Set when the order was in another currency than the base: `currency`, `total` and
    # returns' amounts are the order's own, its priced `lines` are in the base currency.
    conversion: Conversion | None = None

    @property
    def points_earned(self) -> int:
        """What the order earned: its first answer and the bonuses granted since."""
        return self.answer.points_earned + sum(line.points for line in self.bonuses)

    @property
    def breakdown(self) -> tuple[EarningLine, ...]:
        return self.answer.breakdown + self.bonuses

    @property
    def applied_campaigns(self) -> tuple[AppliedCampaign, ...]:
        return applied_campaigns(self.breakdown, self.campaigns)

    def add_bonus(self, line: EarningLine, lot_id: str = "") -> None:
        """A bonus granted for the order, in a lot of its own (`lot_id`) or in its pending
        lot, so that returns take it back with the rest."""
        self.bonuses += (line,)
        if lot_id:
            self.lot_ids += (lot_id,)


def record_order(
    order: Order,
    priced: PricedOrder,
    answer: Accrual,
    *,
    fingerprint: str,
    lot_ids: tuple[str, ...],
    created_at: datetime,
    campaigns: CampaignResults | None = None,
    conversion: Conversion | None = None,
) -> OrderRecord:
    return OrderRecord(
        tenant_id=order.tenant_id,
        order_id=order.order_id,
        member_id=order.member_id,
        fingerprint=fingerprint,
        currency=conversion.currency if conversion else order.currency,
        total=conversion.total if conversion else order.total,
        lines=priced.lines,
        lot_ids=lot_ids,
        answer=answer,
        created_at=created_at,
        bonus_pending=answer.bonus_pending,
        channel=order.channel,
        store_id=order.store_id,
        occurred_at=order.occurred_at,
        campaigns=campaigns or CampaignResults(),
        conversion=conversion,
    )
