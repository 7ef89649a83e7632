"""What each line of an order paid and earns: the total spread over the lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from libs.errors import InvalidArgument
from services.points.domain.earning import EarningRule
from services.points.domain.orders import Order


@dataclass(frozen=True)
class PricedLine:
    sku: str
    category: str
    quantity: int
    # The line's share of the amount paid.
    amount: Decimal
    # The line's share of the base points (0 for lines that earn nothing).
    base_points: int


@dataclass(frozen=True)
class PricedOrder:
    order: Order
    lines: tuple[PricedLine, ...]
    base_points: int


def apportion(total: int, weights: Sequence[Decimal]) -> list[int]:
    """Split `total` in proportion to `weights`; the parts always sum to `total`
    (largest remainder), and a zero weight gets nothing."""
    whole = sum(weights, Decimal(0))
    if whole == 0:
        return [0] * len(weights)
    exact = [Decimal(total) * w / whole for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def price(order: Order, rule: EarningRule) -> PricedOrder:
    """Base points on the amount paid, spread over the lines in proportion to their amounts;
    lines of excluded categories or SKUs earn nothing."""
    if not order.lines:
        return PricedOrder(order, (), rule.base_points(order.total))
    amounts = [line.amount for line in order.lines]
    listed = sum(amounts, Decimal(0))
    if listed == 0:
        if order.total > 0:
            raise InvalidArgument("lines: their amounts sum to 0 but the total is not 0")
        amounts = [Decimal(1)] * len(amounts)
        listed = Decimal(len(amounts))
    quantum = Decimal(1).scaleb(min(-2, _exponent(order.total)))
    shares = apportion(int(order.total / quantum), amounts)
    earning = [
        a if rule.earns_on(line.sku, line.category) else Decimal(0)
        for a, line in zip(amounts, order.lines, strict=True)
    ]
    eligible = order.total * sum(earning, Decimal(0)) / listed
    base = rule.base_points(eligible)
    base_lines = apportion(base, earning)
    lines = tuple(
        PricedLine(line.sku, line.category, line.quantity, share * quantum, points)
        for line, share, points in zip(order.lines, shares, base_lines, strict=True)
    )
    return PricedOrder(order, lines, base)


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0
