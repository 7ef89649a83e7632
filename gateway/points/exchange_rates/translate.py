"""Between the HTTP shapes of exchange rates and the points service's messages, and a rates
file (`currency,valid_from,rate` with a header row) read into rows."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from gateway.edge.problems import ApiProblem, validation_problem
from gateway.points.admin_csv import file_records
from gateway.points.exchange_rates.answers import (
    ExchangeRateOut,
    ExchangeRatesOut,
    ImportedRowOut,
    ImportOut,
    SetRateOut,
)
from gateway.points.exchange_rates.bodies import RATE_PATTERN
from libs.timestamps import aware, timestamp
from loyalty.points.v1 import exchange_rates_pb2 as pb

HEADER = ("currency", "valid_from", "rate")
# The points service keeps at most this many rates a call; a file fits the body limit.
MAX_ROWS = 1000
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_RATE = re.compile(RATE_PATTERN)


def rate_out(rate: pb.ExchangeRate) -> ExchangeRateOut:
    return ExchangeRateOut(
        currency=rate.currency,
        valid_from=aware(rate.valid_from),
        rate=rate.rate,
        set_by=rate.set_by,
        set_at=aware(rate.set_at) if rate.HasField("set_at") else None,
    )


def rates_out(reply: pb.ListExchangeRatesResponse) -> ExchangeRatesOut:
    return ExchangeRatesOut(
        base_currency=reply.base_currency, rates=[rate_out(r) for r in reply.rates]
    )


def set_out(outcome: pb.ExchangeRateOutcome) -> SetRateOut:
    return SetRateOut(**rate_out(outcome.rate).model_dump(), outcome=outcome.outcome)


def import_out(reply: pb.SetExchangeRatesResponse) -> ImportOut:
    rows = [
        ImportedRowOut(**set_out(outcome).model_dump(), row=number)
        for number, outcome in enumerate(reply.rates, start=1)
    ]
    return ImportOut(base_currency=reply.base_currency, rows=rows)


def row_message(currency: str, valid_from: datetime, rate: str) -> pb.ExchangeRateRow:
    return pb.ExchangeRateRow(currency=currency, valid_from=timestamp(valid_from), rate=rate)


def _row_location(row: int, field: str) -> tuple[str | int, ...]:
    """`rows[3].rate`, or `rows[3]` for the row as a whole."""
    return ("rows", row, field) if field else ("rows", row)


def refused_rows(problems: Sequence[pb.ExchangeRateProblem]) -> ApiProblem:
    """Every row the points service refused, as one 422 (`rows[n].field`)."""
    return validation_problem(
        [{"loc": _row_location(p.row, p.field), "msg": p.message} for p in problems]
    )


def refused_rate(problems: Sequence[pb.ExchangeRateProblem]) -> ApiProblem:
    """The one rate of a PUT refused: its fields as the body's (the currency the path's)."""
    return validation_problem(
        [
            {"loc": ("path" if p.field == "currency" else "body", p.field), "msg": p.message}
            for p in problems
        ]
    )


def read_rates_file(raw: bytes) -> list[pb.ExchangeRateRow]:
    """Every row, or a 422 naming every malformed row: a file is kept whole or not at all."""
    rows: list[pb.ExchangeRateRow] = []
    errors: list[dict[str, Any]] = []
    for number, record in enumerate(file_records(raw, HEADER, MAX_ROWS), start=1):
        found = _row(number, [cell.strip() for cell in record])
        if isinstance(found, dict):
            errors.append(found)
        else:
            rows.append(found)
    if errors:
        raise validation_problem(errors)
    return rows


def _row(number: int, cells: list[str]) -> pb.ExchangeRateRow | dict[str, Any]:
    def wrong(field: str, message: str) -> dict[str, Any]:
        return {"loc": _row_location(number, field), "msg": message}

    if len(cells) != len(HEADER):
        return wrong("", "a row has three cells: currency,valid_from,rate")
    currency, when, rate = cells
    if not _CURRENCY.match(currency):
        return wrong("currency", "an ISO 4217 code such as USD")
    try:
        valid_from = datetime.fromisoformat(when)
    except ValueError:
        valid_from = None
    if valid_from is None or valid_from.utcoffset() is None:
        return wrong(
            "valid_from", "an ISO 8601 time with its offset, such as 2026-12-01T00:00:00+08:00"
        )
    if not _RATE.match(rate):
        return wrong("rate", "a decimal number above 0, at most 10 decimal places")
    return row_message(currency, valid_from, rate)
