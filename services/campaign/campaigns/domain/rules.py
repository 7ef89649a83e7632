"""A campaign's rules: when it applies (schedule and conditions) and what it grants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from functools import cached_property


class EffectType(StrEnum):
    MULTIPLIER = "multiplier"
    BONUS_POINTS = "bonus_points"
    COUPON = "coupon"


@dataclass(frozen=True)
class HourWindow:
    """Local hours [start, end); a window with start > end wraps past midnight."""

    start: int
    end: int

    def contains(self, hour: int) -> bool:
        if self.start <= self.end:
            return self.start <= hour < self.end
        return hour >= self.start or hour < self.end


@dataclass(frozen=True)
class Conditions:
    """Each one optional, all combined with AND; a set means "any of"."""

    channels: frozenset[str] = frozenset()
    store_ids: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    skus: frozenset[str] = frozenset()
    min_total: Decimal | None = None
    tiers: frozenset[str] = frozenset()
    min_days_since_enrolment: int | None = None
    in_birthday_month: bool = False
    # ISO weekdays, Monday = 1 … Sunday = 7, in the tenant's time zone
    days_of_week: frozenset[int] = frozenset()
    hours: HourWindow | None = None
    first_purchase_only: bool = False
    # Only members of this segment (its materialised membership).
    segment_id: str = ""
    # Inactivity campaigns: members with no purchase for this many days.
    inactive_days: int | None = None


@dataclass(frozen=True)
class Effect:
    type: EffectType
    factor: Decimal = Decimal(1)
    points: int = 0
    template_id: str = ""

    @cached_property
    def factor_ratio(self) -> tuple[int, int]:
        """The multiplier as an exact fraction, so each order's extra points are integer
        arithmetic (the engine applies it for every order)."""
        return self.factor.as_integer_ratio()


@dataclass(frozen=True)
class Limits:
    """None means unlimited; the remaining amounts are reserved atomically elsewhere."""

    budget_points: int | None = None
    per_member: int | None = None


@dataclass(frozen=True)
class Campaign:
    campaign_id: str
    name: str
    version: int
    starts_at: datetime | None
    ends_at: datetime | None
    conditions: Conditions
    effect: Effect
    priority: int = 0
    exclusive: bool = False
    holdout_percent: int = 0
    limits: Limits = Limits()
    # The name in other languages, (locale, name): what its grants' reasons carry.
    names: tuple[tuple[str, str], ...] = ()
