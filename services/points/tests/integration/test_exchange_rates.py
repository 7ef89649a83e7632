"""Exchange rates in the points service as deployed, over gRPC and MongoDB: the rate valid
at an order's time found by the index, the order and its events in both currencies, a
return's money converted at the order's rate, and a refused order or rates set changing
nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import grpc
import pytest
from grpc import aio
from nats.js import JetStreamContext

from libs.grpc.errors import error_code_of
from libs.tests.integration.support import messages_on
from libs.timestamps import timestamp
from loyalty.points.v1 import events_pb2
from loyalty.points.v1 import exchange_rates_pb2 as rates_pb
from loyalty.points.v1 import points_pb2 as pb
from services.points.tests.integration.support import ORDERED_AT, an_order
from tests.support.polling import settled

if TYPE_CHECKING:
    from loyalty.points.v1.points_pb2_grpc import PointsServiceAsyncStub


async def rates(
    points: PointsServiceAsyncStub, tenant: str, *rows: tuple[str, timedelta, str]
) -> rates_pb.SetExchangeRatesResponse:
    """Rates of `currency` from the order's time plus an offset."""
    return await points.SetExchangeRates(
        rates_pb.SetExchangeRatesRequest(
            tenant_id=tenant,
            rows=[
                rates_pb.ExchangeRateRow(
                    currency=currency, valid_from=timestamp(ORDERED_AT + offset), rate=rate
                )
                for currency, offset, rate in rows
            ],
            actor="key:k1",
        )
    )


def in_usd(tenant: str, order_id: str) -> pb.AccrueOrderRequest:
    order = an_order(tenant, order_id, total="100.00", lines=())
    order.currency = "USD"
    order.lines.add(sku="SHOE-1", category="shoes", quantity=4, unit_price="25.00")
    return order


async def test_an_order_earns_at_the_rate_valid_at_its_time_and_keeps_both_amounts(
    points: PointsServiceAsyncStub, tenant: str, observer: JetStreamContext
) -> None:
    day = timedelta(days=1)
    await rates(points, tenant, ("USD", -2 * day, "6.5"), ("USD", -day, "7.2345"))
    await rates(points, tenant, ("USD", timedelta(seconds=1), "9"), ("EUR", -day, "8"))

    accrued = await points.AccrueOrder(in_usd(tenant, "O-1"))
    await points.ReturnOrder(
        pb.ReturnOrderRequest(
            tenant_id=tenant,
            order_id="O-1",
            return_id="R-1",
            lines=[pb.ReturnLine(sku="SHOE-1", quantity=1)],
        )
    )

    assert accrued.points_earned == 723
    order = await points.GetOrder(pb.GetOrderRequest(tenant_id=tenant, order_id="O-1"))
    assert (order.currency, order.total) == ("USD", "100.00")
    assert (order.conversion.base_total, order.conversion.rate) == ("723.45", "7.2345")
    valid_from = ORDERED_AT - day
    to_the_millisecond = valid_from.replace(microsecond=valid_from.microsecond // 1000 * 1000)
    assert order.conversion.rate_valid_from == timestamp(to_the_millisecond)
    assert order.points_reversed == 180
    found = await settled(
        lambda: messages_on(observer, f"loyalty.{tenant}.points.>"), lambda m: len(m) == 2
    )
    earned = events_pb2.PointsEarned.FromString(found[0].data or b"")
    assert (earned.currency, earned.total, earned.lines[0].amount) == ("CNY", "723.45", "723.45")
    assert (earned.conversion.currency, earned.conversion.total) == ("USD", "100.00")
    returned = events_pb2.PointsReversed.FromString(found[1].data or b"")
    assert (returned.currency, returned.amount) == ("CNY", "180.86")
    assert returned.conversion.currency == "USD"


async def test_an_order_without_a_rate_at_its_time_is_refused_and_not_recorded(
    points: PointsServiceAsyncStub, tenant: str
) -> None:
    await rates(points, tenant, ("USD", timedelta(seconds=1), "7"))

    with pytest.raises(aio.AioRpcError) as refused:
        await points.AccrueOrder(in_usd(tenant, "O-1"))

    assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert error_code_of(refused.value) == "no_exchange_rate"
    assert "USD" in (refused.value.details() or "")
    with pytest.raises(aio.AioRpcError) as unknown:
        await points.GetOrder(pb.GetOrderRequest(tenant_id=tenant, order_id="O-1"))
    assert unknown.value.code() is grpc.StatusCode.NOT_FOUND


async def test_a_set_of_rates_with_a_wrong_row_keeps_none_and_a_good_one_keeps_all(
    points: PointsServiceAsyncStub, tenant: str
) -> None:
    refused = await rates(
        points,
        tenant,
        ("USD", timedelta(0), "7"),
        ("CNY", timedelta(0), "1"),
        ("EUR", timedelta(0), "0"),
    )
    kept = await rates(points, tenant, ("USD", timedelta(0), "7"), ("EUR", timedelta(0), "8"))
    listed = await points.ListExchangeRates(rates_pb.ListExchangeRatesRequest(tenant_id=tenant))

    assert [(p.row, p.field) for p in refused.problems] == [(2, "currency"), (3, "rate")]
    assert [o.outcome for o in kept.rates] == ["created", "created"]
    assert listed.base_currency == "CNY"
    assert [(r.currency, r.rate, r.set_by) for r in listed.rates] == [
        ("EUR", "8", "key:k1"),
        ("USD", "7", "key:k1"),
    ]
