"""What the campaign service remembers of members and their purchases, learned from the
member and points services' events (it never reads their databases)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal

CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> int:
    """Money kept as integer minor units, so aggregations sum exactly."""
    return int((amount / CENT).to_integral_value(rounding=ROUND_HALF_EVEN))


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) * CENT).quantize(CENT)


@dataclass(frozen=True)
class RecordedLine:
    sku: str
    category: str
    quantity: int
    amount: Decimal
    base_points: int


@dataclass(frozen=True)
class OrderRecord:
    """One credited order, from points.earned; returns lower `returned_cents`."""

    tenant_id: str
    order_id: str
    member_id: str
    occurred_at: datetime
    channel: str
    store_id: str
    currency: str
    total_cents: int
    points: int
    lines: tuple[RecordedLine, ...]
    tier_code: str = ""
    enrolled_at: datetime | None = None
    returned_cents: int = 0
    # No earlier purchase of the member was known when this one was recorded.
    first_purchase: bool = False

    @property
    def spend_cents(self) -> int:
        return max(0, self.total_cents - self.returned_cents)


def returned_share(order_points: int, total_cents: int, points_reversed: int) -> int:
    """A return names the points it took back, not the amount: points are reversed in
    proportion to what came back, so the amount is read back in the same proportion."""
    if order_points <= 0 or points_reversed <= 0:
        return 0
    share = min(points_reversed, order_points)
    return total_cents * share // order_points


@dataclass(frozen=True)
class MemberFacts:
    """A member as campaigns see them. No personal data: erasure drops the record anyway."""

    tenant_id: str
    member_id: str
    tier_code: str = ""
    channel: str = ""
    store_id: str = ""
    enrolled_at: datetime | None = None
    consents: dict[str, bool] = field(default_factory=dict)
    first_purchase_at: datetime | None = None
    last_purchase_at: datetime | None = None
    orders: int = 0
    spend_cents: int = 0

    @property
    def marketing_consent(self) -> bool:
        return self.consents.get("marketing", False)
