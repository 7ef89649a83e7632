"""Exchange rates: the rate valid at a time, the rounding rule, a set of rates kept whole,
and orders and returns in another currency earning on the converted amount."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from libs.clock import FakeClock
from libs.errors import InvalidArgument
from services.points.domain.errors import NoEarningRule, NoExchangeRate
from services.points.domain.events import PointsEarned, PointsReversed
from services.points.domain.exchange import ExchangeRate, RateRow, check_rows, rate_at, to_base
from services.points.handlers.commands import AccrueLine, AccrueOrder
from services.points.handlers.earning import accrue_order
from services.points.handlers.exchange_rates import (
    Outcome,
    SetExchangeRates,
    list_exchange_rates,
    set_exchange_rates,
)
from services.points.handlers.returns import ReturnOrder, return_order
from services.points.tests.fakes import FakeCampaigns, FakeUnitOfWork
from services.points.tests.unit.conftest import TENANT

DEC_1 = datetime(2026, 12, 1, tzinfo=UTC)
DEC_5 = datetime(2026, 12, 5, tzinfo=UTC)
RATES = (
    ExchangeRate("USD", DEC_1, Decimal("7.1")),
    ExchangeRate("USD", DEC_5, Decimal("7.2")),
    ExchangeRate("EUR", DEC_1, Decimal("7.8")),
)


def test_a_rate_applies_from_its_valid_from_until_the_next_one() -> None:
    second = timedelta(seconds=1)
    assert rate_at(RATES, "USD", DEC_1 - second) is None
    assert rate_at(RATES, "USD", DEC_1) == RATES[0]
    assert rate_at(RATES, "USD", DEC_5 - second) == RATES[0]
    assert rate_at(RATES, "USD", DEC_5) == RATES[1]
    assert rate_at(RATES, "USD", DEC_5 + timedelta(days=400)) == RATES[1]


def test_a_rate_of_another_currency_is_never_used() -> None:
    assert rate_at(RATES, "JPY", DEC_5) is None
    assert rate_at(RATES, "EUR", DEC_5) == RATES[2]


@pytest.mark.parametrize(
    ("amount", "rate", "base"),
    [
        ("100.00", "7.2345", "723.45"),
        ("0.01", "0.5", "0.01"),  # 0.005 rounds half up
        ("0.01", "0.4999", "0.00"),
        ("33.33", "7.2345", "241.13"),  # 241.125885 to the cent
    ],
)
def test_a_converted_amount_is_rounded_to_the_cent_half_up(
    amount: str, rate: str, base: str
) -> None:
    assert to_base(Decimal(amount), Decimal(rate)) == Decimal(base)


def test_a_set_of_rates_with_a_wrong_row_names_every_wrong_row_and_keeps_none() -> None:
    rows = [
        RateRow("USD", DEC_1, "7.1"),
        RateRow("usd", DEC_1, "7.1"),
        RateRow("EUR", DEC_1, "0"),
        RateRow("CNY", DEC_1, "1"),
        RateRow("JPY", datetime(2026, 12, 1), "0.05"),  # noqa: DTZ001 - no offset on purpose
        RateRow("USD", DEC_1, "7.2"),
        RateRow("GBP", None, "9.1"),
        RateRow("HKD", DEC_1, "0.92345678901"),
    ]
    rates, problems = check_rows(rows, "CNY", set_by="key:k1", at=DEC_5)
    assert [(p.row, p.field) for p in problems] == [
        (2, "currency"),
        (3, "rate"),
        (4, "currency"),
        (5, "valid_from"),
        (6, "valid_from"),
        (7, "valid_from"),
        (8, "rate"),
    ]
    assert [r.currency for r in rates] == ["USD"]


async def test_rates_are_kept_and_listed_newest_first_with_who_set_them(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    rows = [RateRow("USD", DEC_1, "7.1"), RateRow("USD", DEC_5, "7.2")]
    first = await set_exchange_rates(SetExchangeRates(TENANT, rows, "key:k1"), uow, clock)
    assert [outcome for _, outcome in first.rates] == [Outcome.CREATED, Outcome.CREATED]
    again = [RateRow("USD", DEC_1, "7.10"), RateRow("USD", DEC_5, "7.25")]
    second = await set_exchange_rates(SetExchangeRates(TENANT, again, "key:k2"), uow, clock)
    assert [outcome for _, outcome in second.rates] == [Outcome.UNCHANGED, Outcome.REPLACED]
    listed = await list_exchange_rates(TENANT, "", uow)
    assert listed.base_currency == "CNY"
    assert [(r.valid_from, r.rate, r.set_by) for r in listed.rates] == [
        (DEC_5, Decimal("7.25"), "key:k2"),
        (DEC_1, Decimal("7.10"), "key:k2"),
    ]


async def test_a_wrong_set_of_rates_changes_nothing(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    rows = [RateRow("USD", DEC_1, "7.1"), RateRow("EUR", DEC_1, "-1")]
    answer = await set_exchange_rates(SetExchangeRates(TENANT, rows), uow, clock)
    assert [p.row for p in answer.problems] == [2]
    assert (await list_exchange_rates(TENANT, "", uow)).rates == ()


async def test_rates_need_the_tenants_earning_rule(clock: FakeClock) -> None:
    with pytest.raises(NoEarningRule):
        await set_exchange_rates(
            SetExchangeRates("nobody", [RateRow("USD", DEC_1, "7")]), FakeUnitOfWork(), clock
        )


def a_usd_order(clock: FakeClock, order_id: str = "WEB-1") -> AccrueOrder:
    return AccrueOrder(
        tenant_id=TENANT,
        order_id=order_id,
        member_id="m1",
        channel="ecommerce",
        store_id="",
        occurred_at=clock.now - timedelta(minutes=1),
        currency="USD",
        total="100.00",
        lines=[
            AccrueLine("SHOE-1", "shoes", 1, "75.00"),
            AccrueLine("SOCK-2", "accessories", 1, "25.00"),
        ],
    )


async def a_rate(uow: FakeUnitOfWork, clock: FakeClock, rate: str = "7.2345") -> None:
    valid_from = clock.now - timedelta(days=1)
    rows = [RateRow("USD", valid_from, rate)]
    await set_exchange_rates(SetExchangeRates(TENANT, rows), uow, clock)


async def test_an_order_in_another_currency_earns_on_its_amount_converted_at_its_time(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await a_rate(uow, clock, "6.0")
    # a newer rate that starts after the order happened is not its rate
    later = [RateRow("USD", clock.now, "9.0")]
    await set_exchange_rates(SetExchangeRates(TENANT, later), uow, clock)
    campaigns = FakeCampaigns()
    answer = await accrue_order(a_usd_order(clock), uow, campaigns, clock)
    assert answer.accrual.points_earned == 600
    [asked] = campaigns.asked
    assert (asked.priced.order.currency, asked.priced.order.total) == ("CNY", Decimal("600.00"))
    record = uow.state.orders[(TENANT, "WEB-1")]
    assert (record.currency, record.total) == ("USD", Decimal("100.00"))
    assert record.conversion is not None
    assert (record.conversion.rate, record.conversion.base_total) == (Decimal("6.0"), Decimal(600))
    assert [line.amount for line in record.lines] == [Decimal("450.00"), Decimal("150.00")]
    [event] = uow.published
    assert isinstance(event, PointsEarned)
    assert (event.order.currency, event.order.total) == ("CNY", Decimal("600.00"))
    assert event.conversion == record.conversion


async def test_an_order_in_a_currency_without_a_rate_at_its_time_is_refused_and_changes_nothing(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    rows = [RateRow("USD", clock.now, "7.2")]  # from after the order's time
    await set_exchange_rates(SetExchangeRates(TENANT, rows), uow, clock)
    campaigns = FakeCampaigns()
    with pytest.raises(NoExchangeRate) as caught:
        await accrue_order(a_usd_order(clock), uow, campaigns, clock)
    assert caught.value.code == "no_exchange_rate"
    assert "USD" in caught.value.message
    assert isinstance(caught.value, InvalidArgument)
    assert (uow.state.orders, uow.published, campaigns.asked) == ({}, [], [])


async def test_a_return_of_a_converted_order_reverses_in_proportion_and_reports_base_money(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    await a_rate(uow, clock)
    await accrue_order(a_usd_order(clock), uow, FakeCampaigns(), clock)
    answer = await return_order(ReturnOrder(TENANT, "WEB-1", "R-1", amount="25.00"), uow, clock)
    # 723 points for USD 100.00 (CNY 723.45); a quarter came back
    assert answer.record.points_reversed == 180
    reversed_event = uow.published[-1]
    assert isinstance(reversed_event, PointsReversed)
    assert (reversed_event.currency, reversed_event.amount) == ("CNY", Decimal("180.86"))
    assert reversed_event.conversion is not None
    assert reversed_event.conversion.currency == "USD"
    record = uow.state.orders[(TENANT, "WEB-1")]
    assert record.returned_amount == Decimal("25.00")


async def test_an_order_in_the_base_currency_needs_no_rate(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    order = dataclasses.replace(a_usd_order(clock), currency="CNY")
    answer = await accrue_order(order, uow, FakeCampaigns(), clock)
    assert answer.accrual.points_earned == 100
    assert uow.state.orders[(TENANT, "WEB-1")].conversion is None


def test_a_rates_time_is_kept_to_the_millisecond_as_the_database_keeps_it() -> None:
    precise = DEC_1.replace(microsecond=123456)
    [rate], _ = check_rows([RateRow("USD", precise, "7")], "CNY", set_by="", at=DEC_5)
    assert rate.valid_from == DEC_1.replace(microsecond=123000)
