"""What a purchase and its member look like to the rules engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal


@dataclass(frozen=True)
class Line:
    sku: str
    category: str
    quantity: int
    amount: Decimal
    base_points: int


@dataclass(frozen=True)
class Member:
    member_id: str
    tier_code: str = ""
    enrolled_at: datetime | None = None
    birth_month: int | None = None
    # No earlier purchase is known for this member.
    first_purchase: bool = False
    # The segments (of those the campaigns name) the member belongs to.
    segments: frozenset[str] = frozenset()
    # Contacting campaigns (coupons) reach only members who consented to marketing.
    marketing_consent: bool = False


@dataclass(frozen=True)
class Purchase:
    member: Member
    channel: str
    store_id: str
    occurred_at: datetime
    total: Decimal
    lines: tuple[Line, ...]
    # The tenant's time zone: day-of-week, hour and birthday month are read in it.
    tz: tzinfo
