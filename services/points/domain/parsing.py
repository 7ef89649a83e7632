"""Checks on what callers send, each naming the field it refuses."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from libs.errors import InvalidArgument

CHANNELS = ("pos", "ecommerce", "miniprogram", "app")
MAX_AMOUNT = Decimal(10) ** 12
MAX_QUANTITY = 1_000_000
FUTURE_SKEW = timedelta(minutes=5)
# How late an offline till may still send an order.
PAST_WINDOW = timedelta(days=30)
_ID = re.compile(r"^[\x21-\x7e]{1,128}$")  # printable ASCII, no spaces
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def parse_id(raw: str, field: str) -> str:
    if not raw:
        raise InvalidArgument(f"{field}: required")
    if not _ID.match(raw):
        raise InvalidArgument(f"{field}: 1 to 128 printable characters without spaces")
    return raw


def parse_amount(raw: str, field: str, *, positive: bool = False) -> Decimal:
    """A decimal amount of money, at most 4 decimal places; never a float."""
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InvalidArgument(f"{field}: a decimal amount such as 199.00") from None
    if not value.is_finite() or value < 0 or value >= MAX_AMOUNT:
        raise InvalidArgument(f"{field}: a decimal amount between 0 and {MAX_AMOUNT}")
    if positive and value == 0:
        raise InvalidArgument(f"{field}: must be more than 0")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        raise InvalidArgument(f"{field}: at most 4 decimal places")
    return value


def parse_quantity(raw: int, field: str) -> int:
    if not 1 <= raw <= MAX_QUANTITY:
        raise InvalidArgument(f"{field}: between 1 and {MAX_QUANTITY}")
    return raw


def parse_currency(raw: str) -> str:
    if not _CURRENCY.match(raw):
        raise InvalidArgument("currency: an ISO 4217 code such as CNY")
    return raw


def parse_channel(raw: str) -> str:
    if raw not in CHANNELS:
        raise InvalidArgument(f"channel: one of {', '.join(CHANNELS)}")
    return raw


def parse_store(channel: str, raw: str) -> str:
    if channel == "pos" and not raw:
        raise InvalidArgument("store_id: required for the pos channel")
    return parse_id(raw, "store_id") if raw else ""


def check_occurred_at(
    at: datetime | None, now: datetime, window: timedelta = PAST_WINDOW
) -> datetime:
    """At most 5 minutes ahead of `now` (clock skew) and at most `window` behind it."""
    if at is None:
        raise InvalidArgument("occurred_at: required")
    if at > now + FUTURE_SKEW:
        raise InvalidArgument("occurred_at: may be at most 5 minutes in the future")
    if at < now - window:
        raise InvalidArgument(f"occurred_at: may be at most {window.days} days in the past")
    return at


def parse_multiplier(raw: str, field: str) -> Decimal:
    """A tier's earning multiplier; an empty one is 1."""
    try:
        value = Decimal(raw or "1")
    except InvalidOperation:
        raise InvalidArgument(f"{field}: a decimal number such as 1.25") from None
    if not value.is_finite() or value < 0 or value > 100:
        raise InvalidArgument(f"{field}: between 0 and 100")
    return value


def parse_points(raw: int, field: str) -> int:
    if not 1 <= raw <= 10**9:
        raise InvalidArgument(f"{field}: a whole number of points above 0")
    return raw
