"""A tenant's dated exchange rates, and an order in another currency converted into the
tenant's base currency (the earning rule's) at the rate valid when it happened.

A rate says how many units of the base currency one unit of `currency` is worth; it
applies from its `valid_from` until the next rate of that currency. Converted amounts
are rounded to the cent (0.01 of the base currency), half up; the rate itself is kept
exact on the order's record.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from libs.errors import InvalidArgument
from services.points.domain.errors import NoExchangeRate
from services.points.domain.orders import Order

CENT = Decimal("0.01")
# A rate has at most 10 decimal places and is below a billion: enough for any pair.
MAX_RATE = Decimal(10) ** 9
MAX_RATE_PLACES = 10
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class ExchangeRate:
    currency: str
    valid_from: datetime
    # Units of the base currency for one unit of `currency`.
    rate: Decimal
    # Who set it (an operator's key, as adjustments name it) and when.
    set_by: str = ""
    set_at: datetime | None = None


@dataclass(frozen=True)
class Conversion:
    """How an order in another currency was converted: what it was, the rate used (valid
    from `valid_from`) and what it came to in the base currency."""

    currency: str
    total: Decimal
    base_currency: str
    base_total: Decimal
    rate: Decimal
    valid_from: datetime


def parse_rate(raw: str, field: str = "rate") -> Decimal:
    """A decimal string above 0, below a billion, at most 10 decimal places."""
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InvalidArgument(f"{field}: a decimal number such as 7.1234") from None
    if not value.is_finite() or value <= 0 or value >= MAX_RATE:
        raise InvalidArgument(f"{field}: more than 0 and less than {MAX_RATE}")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_RATE_PLACES:
        raise InvalidArgument(f"{field}: at most {MAX_RATE_PLACES} decimal places")
    return value


def parse_rate_currency(raw: str, base: str, field: str = "currency") -> str:
    if not _CURRENCY.match(raw):
        raise InvalidArgument(f"{field}: an ISO 4217 code such as USD")
    if raw == base:
        raise InvalidArgument(f"{field}: {base} is the base currency; it needs no rate")
    return raw


def rate_at(rates: Iterable[ExchangeRate], currency: str, at: datetime) -> ExchangeRate | None:
    """The rate of `currency` valid at `at`: the latest whose `valid_from` is at or before
    it; None before the first."""
    valid = [r for r in rates if r.currency == currency and r.valid_from <= at]
    return max(valid, key=lambda r: r.valid_from, default=None)


def to_base(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def convert(order: Order, base: str, rate: ExchangeRate) -> tuple[Order, Conversion]:
    """The order in the base currency (its total and unit prices at `rate`), and what it
    was. The points, the campaigns' spend conditions and the reports use the former."""
    converted = dataclasses.replace(
        order,
        currency=base,
        total=to_base(order.total, rate.rate),
        lines=tuple(
            dataclasses.replace(line, unit_price=to_base(line.unit_price, rate.rate))
            for line in order.lines
        ),
    )
    conversion = Conversion(
        order.currency, order.total, base, converted.total, rate.rate, rate.valid_from
    )
    return converted, conversion


def in_base(order: Order, base: str, rate: ExchangeRate | None) -> tuple[Order, Conversion | None]:
    """The order as it earns: unchanged in the base currency, converted otherwise;
    NoExchangeRate when it needs a rate and none is valid at its time."""
    if order.currency == base:
        return order, None
    if rate is None or rate.currency != order.currency or rate.valid_from > order.occurred_at:
        raise NoExchangeRate(order.currency, base)
    return convert(order, base, rate)


@dataclass(frozen=True)
class RateRow:
    """A rate as an operator sends it (one row of a file, or one PUT)."""

    currency: str
    valid_from: datetime | None
    rate: str


@dataclass(frozen=True)
class RowProblem:
    """Why row `row` (from 1) cannot be kept; `field` is the column at fault."""

    row: int
    field: str
    message: str


def check_rows(
    rows: Sequence[RateRow], base: str, *, set_by: str, at: datetime
) -> tuple[list[ExchangeRate], list[RowProblem]]:
    """The rates, or every row's problems: a set of rates is kept whole or not at all."""
    rates: list[ExchangeRate] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[str, datetime], int] = {}
    for number, row in enumerate(rows, start=1):
        try:
            rate = _checked(row, base, set_by=set_by, at=at)
        except InvalidArgument as exc:
            field, _, message = str(exc).partition(": ")
            problems.append(RowProblem(number, field, message))
            continue
        key = (rate.currency, rate.valid_from)
        if key in seen:
            problems.append(RowProblem(number, "valid_from", f"the same as row {seen[key]}"))
            continue
        seen[key] = number
        rates.append(rate)
    return rates, problems


def _checked(row: RateRow, base: str, *, set_by: str, at: datetime) -> ExchangeRate:
    currency = parse_rate_currency(row.currency, base)
    if row.valid_from is None:
        raise InvalidArgument("valid_from: required")
    if row.valid_from.tzinfo is None:
        raise InvalidArgument("valid_from: a date and time with its offset")
    # Kept to the millisecond, as MongoDB keeps times.
    valid_from = row.valid_from.replace(microsecond=row.valid_from.microsecond // 1000 * 1000)
    return ExchangeRate(currency, valid_from, parse_rate(row.rate), set_by, at)
