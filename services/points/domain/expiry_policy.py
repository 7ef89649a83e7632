"""When a lot expires, by the tenant's policy: N days after earning, the end of the month
N months after earning (in the tenant's time zone), N months after earning, or never."""

from __future__ import annotations

import calendar
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from libs.errors import InvalidArgument

MAX_DAYS = 3650
MAX_MONTHS = 120


class ExpiryPolicy(StrEnum):
    NEVER = "never"
    DAYS_AFTER_EARNING = "days_after_earning"
    END_OF_MONTH = "end_of_month"
    MONTHS_AFTER_EARNING = "months_after_earning"


def effective_policy(policy: str, months: int) -> ExpiryPolicy:
    """A rule that names no policy keeps what `expiry_months` alone used to mean."""
    if policy:
        try:
            return ExpiryPolicy(policy)
        except ValueError:
            names = ", ".join(p.value for p in ExpiryPolicy)
            raise InvalidArgument(f"expiry_policy: one of {names}") from None
    return ExpiryPolicy.MONTHS_AFTER_EARNING if months else ExpiryPolicy.NEVER


def check_policy(policy: ExpiryPolicy, days: int, months: int) -> None:
    if policy is ExpiryPolicy.DAYS_AFTER_EARNING and not 1 <= days <= MAX_DAYS:
        raise InvalidArgument(f"expiry_days: between 1 and {MAX_DAYS} for days_after_earning")
    if policy is ExpiryPolicy.MONTHS_AFTER_EARNING and not 1 <= months <= MAX_MONTHS:
        raise InvalidArgument(f"expiry_months: between 1 and {MAX_MONTHS}")
    if policy is ExpiryPolicy.END_OF_MONTH and not 0 <= months <= MAX_MONTHS:
        raise InvalidArgument(f"expiry_months: between 0 and {MAX_MONTHS} for end_of_month")


def expires_at(
    policy: ExpiryPolicy, earned_at: datetime, *, days: int, months: int, zone: ZoneInfo
) -> datetime | None:
    match policy:
        case ExpiryPolicy.NEVER:
            return None
        case ExpiryPolicy.DAYS_AFTER_EARNING:
            return earned_at + timedelta(days=days)
        case ExpiryPolicy.MONTHS_AFTER_EARNING:
            return add_months(earned_at, months)
        case ExpiryPolicy.END_OF_MONTH:
            return end_of_month(earned_at, months, zone)


def add_months(at: datetime, months: int) -> datetime:
    """The same day `months` later, or the month's last day when it is shorter."""
    year, month = _month_after(at.year, at.month, months)
    day = min(at.day, calendar.monthrange(year, month)[1])
    return at.replace(year=year, month=month, day=day)


def end_of_month(earned_at: datetime, months: int, zone: ZoneInfo) -> datetime:
    """The last second of the month `months` after the month of `earned_at`, both read in
    `zone`: what a member sees printed ("expires 2027-01-31 23:59:59")."""
    local = earned_at.astimezone(zone)
    year, month = _month_after(local.year, local.month, months)
    last_day = calendar.monthrange(year, month)[1]
    return datetime.combine(local.date().replace(year, month, last_day), time(23, 59, 59), zone)


def _month_after(year: int, month: int, months: int) -> tuple[int, int]:
    index = month - 1 + months
    return year + index // 12, index % 12 + 1
