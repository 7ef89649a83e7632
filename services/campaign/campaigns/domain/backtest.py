"""A backtest: past purchases replayed, oldest first, through a campaign's rules with its
budget and per-member limit applied as the engine and the reservations would apply them
(the last grant takes exactly what is left). Nothing is granted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, tzinfo

from services.campaign.campaigns.domain.audience import MemberAudience
from services.campaign.campaigns.domain.engine import CompiledRules
from services.campaign.campaigns.domain.facts import Line, Member, Purchase
from services.campaign.campaigns.domain.history import OrderRecord, from_cents
from services.campaign.campaigns.domain.rules import Campaign


@dataclass(frozen=True)
class BacktestReport:
    orders_replayed: int
    grants: int
    points_granted: int
    members_reached: int
    # None when the campaign has no budget.
    budget_used: int | None
    # The local day of the grant that used the last of the budget; None when it lasted.
    budget_ran_out_on: date | None


def purchase_of(order: OrderRecord, audience: MemberAudience, tz: tzinfo) -> Purchase:
    """An order as the engine saw it then: the tier it was credited at. The member's birth
    month is not kept, so birthday-month conditions never hold in a replay."""
    member = Member(
        order.member_id,
        order.tier_code,
        order.enrolled_at,
        first_purchase=order.first_purchase,
        segments=audience.segments,
        marketing_consent=audience.marketing_consent,
    )
    lines = tuple(
        Line(line.sku, line.category, line.quantity, line.amount, line.base_points)
        for line in order.lines
    )
    total = from_cents(order.total_cents)
    return Purchase(member, order.channel, order.store_id, order.occurred_at, total, lines, tz)


def replay(
    campaign: Campaign,
    orders: Iterable[OrderRecord],
    audience: Callable[[str], MemberAudience],
    tz: tzinfo,
) -> BacktestReport:
    # The history lies before a draft's schedule: only its conditions and limits count.
    rules = CompiledRules([replace(campaign, starts_at=None, ends_at=None)])
    budget, per_member = campaign.limits.budget_points, campaign.limits.per_member
    left = budget
    grants: Counter[str] = Counter()
    granted, replayed, ran_out = 0, 0, None
    for order in sorted(orders, key=lambda o: (o.occurred_at, o.order_id)):
        replayed += 1
        outcome = rules.evaluate(purchase_of(order, audience(order.member_id), tz))
        if not outcome.applied:
            continue
        if per_member is not None and grants[order.member_id] >= per_member:
            continue
        points = outcome.applied[0].points
        if left is not None:
            if left <= 0:
                continue
            points = min(points, left)
            left -= points
            if left == 0:
                ran_out = order.occurred_at.astimezone(tz).date()
        grants[order.member_id] += 1
        granted += points
    return BacktestReport(
        orders_replayed=replayed,
        grants=sum(grants.values()),
        points_granted=granted,
        members_reached=len(grants),
        budget_used=None if budget is None or left is None else budget - left,
        budget_ran_out_on=ran_out,
    )
