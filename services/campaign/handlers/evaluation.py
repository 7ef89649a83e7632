"""Evaluate an order for the points service: which campaigns add points, and why not others."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from libs.errors import InvalidArgument
from services.campaign.domain.evaluation import (
    OrderFacts,
    PointsEffect,
    PricedLine,
    Skipped,
    evaluate,
)
from services.campaign.domain.ports import PurchaseCampaigns


@dataclass(frozen=True)
class EvaluateOrder:
    tenant_id: str
    member_id: str
    tier_code: str
    channel: str
    store_id: str
    occurred_at: datetime | None
    total: str
    # (sku, category, quantity, amount, base points)
    lines: list[tuple[str, str, int, str, int]] = field(default_factory=list)


def _decimal(raw: str, field_name: str) -> Decimal:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InvalidArgument(f"{field_name}: a decimal amount such as 199.00") from None
    if not value.is_finite() or value < 0:
        raise InvalidArgument(f"{field_name}: a decimal amount of 0 or more")
    return value


def order_facts(cmd: EvaluateOrder) -> OrderFacts:
    if cmd.occurred_at is None:
        raise InvalidArgument("occurred_at: required")
    return OrderFacts(
        member_id=cmd.member_id,
        tier_code=cmd.tier_code,
        channel=cmd.channel,
        store_id=cmd.store_id,
        occurred_at=cmd.occurred_at,
        total=_decimal(cmd.total, "total"),
        lines=tuple(
            PricedLine(sku, category, quantity, _decimal(amount, f"lines[{i}].amount"), base)
            for i, (sku, category, quantity, amount, base) in enumerate(cmd.lines)
        ),
    )


async def evaluate_order(
    cmd: EvaluateOrder, campaigns: PurchaseCampaigns
) -> tuple[list[PointsEffect], list[Skipped]]:
    facts = order_facts(cmd)
    return evaluate(await campaigns.active_purchase_campaigns(cmd.tenant_id), facts)
