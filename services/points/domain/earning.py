"""The tenant's earning rule: how many base points an amount paid is worth."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from libs.errors import InvalidArgument
from services.points.domain.expiry_policy import (
    ExpiryPolicy,
    check_policy,
    effective_policy,
    expires_at,
)

ROUNDING_MODES = {"floor": ROUND_FLOOR, "half_up": ROUND_HALF_UP, "ceiling": ROUND_CEILING}
_CURRENCY = re.compile(r"^[A-Z]{3}$")
MAX_TRANSFER_LIMIT = 10**9
RETURN_SHORTFALLS = ("debt", "cap_at_zero")


@dataclass(frozen=True)
class EarningRule:
    currency: str
    points_per_unit: Decimal
    rounding: str = "floor"
    excluded_categories: frozenset[str] = frozenset()
    excluded_skus: frozenset[str] = frozenset()
    # See `expiry_policy`; with no policy named, 0 months is never and N is N months.
    expiry_months: int = 0
    expiry_policy: str = ""
    expiry_days: int = 0
    # 0: earned points are available at once.
    pending_days: int = 0
    # Whether an operator's debit may take available below zero; refused otherwise.
    allow_adjustment_debt: bool = False
    # The most points a member may transfer out in one day; 0: no transfers.
    transfer_limit_per_day: int = 0
    # An IANA zone: where the tenant's days and months begin and end.
    time_zone: str = "UTC"
    # What a return does with points already spent: "debt" or "cap_at_zero".
    return_shortfall: str = "debt"
    version: int = 0

    def base_points(self, amount: Decimal) -> int:
        """Points for an amount paid in the rule's currency, rounded by the rule."""
        if amount <= 0:
            return 0
        points = (amount * self.points_per_unit).quantize(
            Decimal(1), rounding=ROUNDING_MODES[self.rounding]
        )
        return int(points)

    def earns_on(self, sku: str, category: str) -> bool:
        return sku not in self.excluded_skus and category not in self.excluded_categories

    @property
    def policy(self) -> ExpiryPolicy:
        return effective_policy(self.expiry_policy, self.expiry_months)

    def expiry_for(self, earned_at: datetime) -> datetime | None:
        """When a lot earned at `earned_at` expires; None when lots never expire."""
        return expires_at(
            self.policy, earned_at, days=self.expiry_days, months=self.expiry_months, zone=self.zone
        )

    def release_for(self, earned_at: datetime) -> datetime | None:
        """When points earned at `earned_at` become available; None when at once."""
        return earned_at + timedelta(days=self.pending_days) if self.pending_days else None

    @property
    def returns_cap_at_zero(self) -> bool:
        return self.return_shortfall == "cap_at_zero"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def describe(self) -> str:
        """For example "1 point per CNY 1"."""
        rate = format(self.points_per_unit.normalize(), "f")
        unit = "point" if self.points_per_unit == 1 else "points"
        return f"{rate} {unit} per {self.currency} 1"


def parse_points_per_unit(raw: str) -> Decimal:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InvalidArgument("points_per_unit: must be a decimal number") from None
    if not value.is_finite() or value < 0 or value > 1000:
        raise InvalidArgument("points_per_unit: must be between 0 and 1000")
    return value


def validate_rule(rule: EarningRule) -> EarningRule:
    if not _CURRENCY.match(rule.currency):
        raise InvalidArgument("currency: an ISO 4217 code such as CNY")
    if rule.rounding not in ROUNDING_MODES:
        raise InvalidArgument(f"rounding: one of {', '.join(ROUNDING_MODES)}")
    if not 0 <= rule.expiry_months <= 120:
        raise InvalidArgument("expiry_months: between 0 and 120")
    check_policy(rule.policy, rule.expiry_days, rule.expiry_months)
    if rule.return_shortfall not in RETURN_SHORTFALLS:
        raise InvalidArgument(f"return_shortfall: one of {', '.join(RETURN_SHORTFALLS)}")
    if not 0 <= rule.pending_days <= 365:
        raise InvalidArgument("pending_days: between 0 and 365")
    if not 0 <= rule.transfer_limit_per_day <= MAX_TRANSFER_LIMIT:
        raise InvalidArgument(f"transfer_limit_per_day: between 0 and {MAX_TRANSFER_LIMIT}")
    try:
        ZoneInfo(rule.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidArgument("time_zone: an IANA time zone such as Asia/Shanghai") from None
    return rule
