"""The accrue command as callers send it, and its checks into an order and a member."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from libs.errors import InvalidArgument
from services.points.domain import parsing
from services.points.domain.orders import MemberContext, Order, OrderLine

MAX_LINES = 500


@dataclass(frozen=True)
class AccrueLine:
    sku: str
    category: str
    quantity: int
    unit_price: str


@dataclass(frozen=True)
class AccrueOrder:
    tenant_id: str
    order_id: str
    member_id: str
    channel: str
    store_id: str
    occurred_at: datetime | None
    currency: str
    total: str
    lines: list[AccrueLine] = field(default_factory=list)
    tier_code: str = ""
    tier_name: str = ""
    tier_multiplier: str = ""
    enrolled_at: datetime | None = None
    birth_month: int = 0
    tier_names: dict[str, str] = field(default_factory=dict)


def parse_order(cmd: AccrueOrder, now: datetime) -> tuple[Order, MemberContext]:
    if len(cmd.lines) > MAX_LINES:
        raise InvalidArgument(f"lines: at most {MAX_LINES}")
    member_id = parsing.parse_id(cmd.member_id, "member.member_id")
    channel = parsing.parse_channel(cmd.channel)
    order = Order(
        tenant_id=cmd.tenant_id,
        order_id=parsing.parse_id(cmd.order_id, "order_id"),
        member_id=member_id,
        channel=channel,
        store_id=parsing.parse_store(channel, cmd.store_id),
        occurred_at=parsing.check_occurred_at(cmd.occurred_at, now),
        currency=parsing.parse_currency(cmd.currency),
        total=parsing.parse_amount(cmd.total, "total"),
        lines=tuple(
            OrderLine(
                parsing.parse_id(line.sku, f"lines[{i}].sku"),
                line.category,
                parsing.parse_quantity(line.quantity, f"lines[{i}].quantity"),
                parsing.parse_amount(line.unit_price, f"lines[{i}].unit_price"),
            )
            for i, line in enumerate(cmd.lines)
        ),
    )
    member = MemberContext(
        member_id=member_id,
        tier_code=cmd.tier_code,
        tier_name=cmd.tier_name,
        tier_multiplier=parsing.parse_multiplier(cmd.tier_multiplier, "member.tier_multiplier"),
        enrolled_at=cmd.enrolled_at,
        birth_month=_birth_month(cmd.birth_month),
        tier_names=tuple(sorted(cmd.tier_names.items())),
    )
    return order, member


def _birth_month(month: int) -> int:
    if not 0 <= month <= 12:
        raise InvalidArgument("member.birth_month: 1-12, or 0 when unknown")
    return month
