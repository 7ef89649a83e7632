"""A purchase as the points service sees it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class OrderLine:
    sku: str
    category: str
    quantity: int
    unit_price: Decimal

    @property
    def amount(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class Order:
    tenant_id: str
    order_id: str
    member_id: str
    channel: str
    store_id: str
    occurred_at: datetime
    currency: str
    total: Decimal
    lines: tuple[OrderLine, ...] = ()

    def fingerprint(self) -> str:
        """Equal for the same body sent again: amounts compare by value, not spelling."""
        body = {
            "member_id": self.member_id,
            "channel": self.channel,
            "store_id": self.store_id,
            "occurred_at": self.occurred_at.isoformat(),
            "currency": self.currency,
            "total": _amount(self.total),
            "lines": [
                [line.sku, line.category, line.quantity, _amount(line.unit_price)]
                for line in self.lines
            ],
        }
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def _amount(value: Decimal) -> str:
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class MemberContext:
    """What the caller resolved about the member from the member service."""

    member_id: str
    tier_code: str = ""
    tier_name: str = ""
    tier_multiplier: Decimal = Decimal(1)
    enrolled_at: datetime | None = None
    # 1-12 from the member's birthday; 0 when unknown.
    birth_month: int = 0
    # The tier's name in other languages, (locale, name) pairs.
    tier_names: tuple[tuple[str, str], ...] = ()
