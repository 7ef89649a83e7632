"""The record kept of each order seen."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from services.points.domain.accrual import Accrual
from services.points.domain.orders import Order
from services.points.domain.pricing import PricedLine, PricedOrder


@dataclass
class OrderRecord:
    """An order seen: its first answer (replayed to retries) and what returns took back."""

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
    version: int = 0

    @property
    def points_earned(self) -> int:
        return self.answer.points_earned


def record_order(
    order: Order,
    priced: PricedOrder,
    answer: Accrual,
    *,
    fingerprint: str,
    lot_ids: tuple[str, ...],
    created_at: datetime,
) -> OrderRecord:
    return OrderRecord(
        tenant_id=order.tenant_id,
        order_id=order.order_id,
        member_id=order.member_id,
        fingerprint=fingerprint,
        currency=order.currency,
        total=order.total,
        lines=priced.lines,
        lot_ids=lot_ids,
        answer=answer,
        created_at=created_at,
        bonus_pending=answer.bonus_pending,
    )
