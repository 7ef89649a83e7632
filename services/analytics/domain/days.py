"""Days in the tenant's time zone: every bucket's day, every report's range."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from services.analytics.domain.errors import BadRange

UTC = "UTC"
LONGEST_RANGE_DAYS = 732


def zone(name: str) -> ZoneInfo:
    """The IANA zone; UTC for an empty or unknown name."""
    try:
        return ZoneInfo(name or UTC)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(UTC)


def local_day(at: datetime, time_zone: str) -> str:
    """`at`'s calendar day where the tenant is, as YYYY-MM-DD."""
    return at.astimezone(zone(time_zone)).date().isoformat()


def to_millisecond(at: datetime) -> datetime:
    """A time as the database keeps and compares it: to the millisecond."""
    return at.replace(microsecond=at.microsecond // 1000 * 1000)


def days_before(day: str, days: int) -> str:
    """The day `days` days before `day`."""
    return (date.fromisoformat(day) - timedelta(days=days)).isoformat()


def day_range(from_day: str, to_day: str) -> list[str]:
    """Every day from `from_day` to `to_day`, both included; BadRange when they are not
    days, are backwards or span more than two years."""
    try:
        first, last = date.fromisoformat(from_day), date.fromisoformat(to_day)
    except ValueError:
        raise BadRange("from and to are days, YYYY-MM-DD") from None
    if last < first:
        raise BadRange("to is before from")
    if (last - first).days >= LONGEST_RANGE_DAYS:
        raise BadRange(f"a range spans at most {LONGEST_RANGE_DAYS} days")
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
