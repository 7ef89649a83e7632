"""The PointsService's exchange rates: translate, call the handler, translate back (a part
of `PointsServicer`)."""

from __future__ import annotations

from libs.grpc.requests import Context, tenant_of
from libs.timestamps import optional_datetime, optional_timestamp, timestamp
from loyalty.points.v1 import exchange_rates_pb2 as rates_pb
from services.points.domain.exchange import ExchangeRate, RateRow
from services.points.domain.ports import UnitOfWork
from services.points.handlers import exchange_rates


def rate_message(rate: ExchangeRate) -> rates_pb.ExchangeRate:
    return rates_pb.ExchangeRate(
        currency=rate.currency,
        valid_from=timestamp(rate.valid_from),
        rate=str(rate.rate),
        set_by=rate.set_by,
        set_at=optional_timestamp(rate.set_at),
    )


class ExchangeRateRpcs:
    _uow: UnitOfWork

    async def SetExchangeRates(
        self, request: rates_pb.SetExchangeRatesRequest, context: Context
    ) -> rates_pb.SetExchangeRatesResponse:
        command = exchange_rates.SetExchangeRates(
            tenant_id=tenant_of(request.tenant_id),
            rows=[
                RateRow(row.currency, optional_datetime(row, "valid_from"), row.rate)
                for row in request.rows
            ],
            actor=request.actor,
        )
        answer = await exchange_rates.set_exchange_rates(command, self._uow)
        return rates_pb.SetExchangeRatesResponse(
            base_currency=answer.base_currency,
            rates=[
                rates_pb.ExchangeRateOutcome(rate=rate_message(rate), outcome=outcome.value)
                for rate, outcome in answer.rates
            ],
            problems=[
                rates_pb.ExchangeRateProblem(row=p.row, field=p.field, message=p.message)
                for p in answer.problems
            ],
        )

    async def ListExchangeRates(
        self, request: rates_pb.ListExchangeRatesRequest, context: Context
    ) -> rates_pb.ListExchangeRatesResponse:
        answer = await exchange_rates.list_exchange_rates(
            tenant_of(request.tenant_id), request.currency, self._uow
        )
        return rates_pb.ListExchangeRatesResponse(
            base_currency=answer.base_currency, rates=[rate_message(r) for r in answer.rates]
        )
