"""Amounts and time zones as requests give them, checked once for every use case."""

from __future__ import annotations

from datetime import UTC, tzinfo
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from libs.errors import InvalidArgument


def parse_amount(raw: str, field_name: str) -> Decimal:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InvalidArgument(f"{field_name}: a decimal amount such as 199.00") from None
    if not value.is_finite() or value < 0:
        raise InvalidArgument(f"{field_name}: a decimal amount of 0 or more")
    return value


def parse_zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidArgument("time_zone: an IANA time zone such as Asia/Shanghai") from None
