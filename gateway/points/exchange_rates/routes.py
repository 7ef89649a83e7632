"""`/v1/admin/exchange-rates`: the tenant's dated rates from other currencies to its base
currency (its points settings' currency), which orders in those currencies earn by."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from gateway.access.auth import OperatorKey
from gateway.clients import PointsClient
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.problems import problem_responses
from gateway.points.admin_access import actor_of
from gateway.points.admin_upload import require_csv
from gateway.points.exchange_rates.answers import ExchangeRatesOut, ImportOut, SetRateOut
from gateway.points.exchange_rates.bodies import ExchangeRateBody
from gateway.points.exchange_rates.permissions import RATES_PATH
from gateway.points.exchange_rates.translate import (
    MAX_ROWS,
    import_out,
    rates_out,
    read_rates_file,
    refused_rate,
    refused_rows,
    row_message,
    set_out,
)
from loyalty.points.v1 import exchange_rates_pb2 as pb

router = APIRouter(prefix=RATES_PATH, tags=["admin: exchange rates"])
_UPSTREAM = (503, 504)
CurrencyPath = Annotated[str, Path(pattern=r"^[A-Z]{3}$", description="ISO 4217, e.g. USD")]
CurrencyQuery = Annotated[
    str | None, Query(pattern=r"^[A-Z]{3}$", description="Only this currency's rates")
]
_CSV_EXAMPLE = (
    "currency,valid_from,rate\n"
    "USD,2026-12-01T00:00:00+08:00,7.1234\n"
    "EUR,2026-12-01T00:00:00+08:00,7.7012\n"
)
CSV_BODY = {
    "requestBody": {
        "required": True,
        "content": {"text/csv": {"schema": {"type": "string", "example": _CSV_EXAMPLE}}},
    }
}
_NO_RULE = (
    "409 `earning_rule_not_found` while the tenant has no points settings (they name the "
    "base currency)."
)


@router.get(
    "",
    response_model=ExchangeRatesOut,
    summary="The tenant's exchange rates to its base currency",
    description=(
        "Every rate, by currency, the newest `valid_from` first. A rate applies from its "
        "`valid_from` until the next rate of its currency. " + _NO_RULE
    ),
    responses=problem_responses(401, 403, 409, 422, *_UPSTREAM),
)
async def list_rates(
    caller: OperatorKey, points: PointsClient, currency: CurrencyQuery = None
) -> ExchangeRatesOut:
    rpc = pb.ListExchangeRatesRequest(tenant_id=caller.tenant_id, currency=currency or "")
    return rates_out(await points.ListExchangeRates(rpc))


@router.put(
    "/{currency}",
    response_model=SetRateOut,
    summary="Set the rate of a currency from a date and time",
    description=(
        "The rate (units of the base currency for one unit of `currency`) valid from "
        "`valid_from` until the next rate of the currency; a rate of the same currency and "
        "`valid_from` is replaced. Orders already credited keep the rate they were "
        "converted at. 422 for the base currency itself, a rate of 0 or a time without its "
        "offset. " + _NO_RULE
    ),
    responses=problem_responses(401, 403, 409, 413, 422, *_UPSTREAM),
    openapi_extra=json_body(ExchangeRateBody),
)
async def set_rate(
    request: Request, caller: OperatorKey, points: PointsClient, currency: CurrencyPath
) -> SetRateOut:
    body = parse_body(ExchangeRateBody, await read_json(request))
    rpc = pb.SetExchangeRatesRequest(
        tenant_id=caller.tenant_id,
        rows=[row_message(currency, body.valid_from, body.rate)],
        actor=actor_of(caller),
    )
    reply = await points.SetExchangeRates(rpc)
    if reply.problems:
        raise refused_rate(reply.problems)
    return set_out(reply.rates[0])


@router.post(
    "/import",
    response_model=ImportOut,
    summary="Set many rates from a CSV file, all or none",
    description=(
        f"A `text/csv` body: the header `currency,valid_from,rate`, then at most {MAX_ROWS} "
        "rows (numbered from 1 after the header; blank lines skipped). The file is kept "
        "whole or not at all: a malformed or refused row (an unknown format, the base "
        "currency, a rate of 0, the same currency and time twice) refuses the file with "
        "one 422 naming every such row (`rows[3].rate`), and nothing changes. Otherwise each "
        "row is answered with what became of it. Sending the same file again changes "
        "nothing (every row `unchanged`). " + _NO_RULE
    ),
    responses=problem_responses(401, 403, 409, 413, 415, 422, *_UPSTREAM),
    openapi_extra=CSV_BODY,
)
async def import_rates(request: Request, caller: OperatorKey, points: PointsClient) -> ImportOut:
    require_csv(request)
    rows = read_rates_file(await request.body())
    rpc = pb.SetExchangeRatesRequest(tenant_id=caller.tenant_id, rows=rows, actor=actor_of(caller))
    reply = await points.SetExchangeRates(rpc)
    if reply.problems:
        raise refused_rows(reply.problems)
    return import_out(reply)
