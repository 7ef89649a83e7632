"""What an order would earn, for a cart preview: priced like an accrual, with the
campaigns' bonus from a dry run, and nothing written or reserved."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from libs.clock import Clock, utc_now
from services.points.domain.accrual import CampaignBonus, EarningLine, breakdown
from services.points.domain.balances import Balance
from services.points.domain.errors import NoEarningRule
from services.points.domain.ports import BonusUnavailable, Evaluation, UnitOfWork
from services.points.domain.pricing import price
from services.points.handlers.commands import AccrueOrder, parse_order
from services.points.handlers.exchange_rates import in_base_currency
from services.points.handlers.queries import get_balance

# A cart has no order id yet; the order's checks want one.
CART_ORDER_ID = "cart-preview"


class CampaignPreview(Protocol):
    async def preview(self, evaluation: Evaluation) -> list[CampaignBonus]:
        """The points effects the order would get, holding nothing; BonusUnavailable when
        the answer does not come in time."""
        ...


@dataclass(frozen=True)
class Preview:
    points: int
    breakdown: tuple[EarningLine, ...]
    bonus_pending: bool
    balance: Balance


async def preview_order(
    cmd: AccrueOrder, uow: UnitOfWork, campaigns: CampaignPreview, clock: Clock = utc_now
) -> Preview:
    now = clock()
    order, member = parse_order(replace(cmd, order_id=cmd.order_id or CART_ORDER_ID), now)
    rule = await uow.read(lambda repos: repos.rules.get_rule(order.tenant_id))
    if rule is None:
        raise NoEarningRule()
    earning, _ = await in_base_currency(order, rule, uow)
    priced = price(earning, rule)
    try:
        bonuses, pending = await campaigns.preview(Evaluation(priced, member)), False
    except BonusUnavailable:
        bonuses, pending = [], True
    lines = breakdown(priced, rule, member, bonuses)
    balance = await get_balance(order.tenant_id, order.member_id, uow, lambda: now)
    points = sum(line.points for line in lines if line.points > 0)
    return Preview(points, lines, pending, balance)
