"""A tenant's exchange rates: set (one or a file's worth, whole or not at all), listed,
and used to convert an order into the base currency before it earns."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from libs.clock import Clock, utc_now
from services.points.domain.earning import EarningRule
from services.points.domain.errors import NoEarningRule
from services.points.domain.exchange import (
    Conversion,
    ExchangeRate,
    RateRow,
    RowProblem,
    check_rows,
    in_base,
)
from services.points.domain.orders import Order
from services.points.domain.ports import Repositories, UnitOfWork

MAX_ROWS = 1000


class Outcome(StrEnum):
    CREATED = "created"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class SetExchangeRates:
    tenant_id: str
    rows: list[RateRow] = field(default_factory=list)
    # The operator's key, as adjustments record it.
    actor: str = ""


@dataclass(frozen=True)
class RatesSet:
    """Each row's rate and what became of it, or (nothing kept) every row's problems."""

    base_currency: str
    rates: tuple[tuple[ExchangeRate, Outcome], ...] = ()
    problems: tuple[RowProblem, ...] = ()


@dataclass(frozen=True)
class RatesListed:
    base_currency: str
    rates: tuple[ExchangeRate, ...]


async def in_base_currency(
    order: Order, rule: EarningRule, uow: UnitOfWork
) -> tuple[Order, Conversion | None]:
    """The order as it earns, in the rule's currency: one more read only for an order in
    another currency. NoExchangeRate when no rate of it is valid at its time."""
    if order.currency == rule.currency:
        return order, None
    rate = await uow.read(
        lambda repos: repos.rates.rate_at(order.tenant_id, order.currency, order.occurred_at)
    )
    return in_base(order, rule.currency, rate)


async def set_exchange_rates(
    cmd: SetExchangeRates, uow: UnitOfWork, clock: Clock = utc_now
) -> RatesSet:
    if len(cmd.rows) > MAX_ROWS:
        problem = RowProblem(MAX_ROWS + 1, "", f"at most {MAX_ROWS} rates at a time")
        return RatesSet("", problems=(problem,))

    async def work(repos: Repositories) -> RatesSet:
        rule = await repos.rules.get_rule(cmd.tenant_id)
        if rule is None:
            raise NoEarningRule()
        rates, problems = check_rows(cmd.rows, rule.currency, set_by=cmd.actor, at=clock())
        if problems:
            return RatesSet(rule.currency, problems=tuple(problems))
        replaced = await repos.rates.put(cmd.tenant_id, rates)
        outcomes = tuple(
            (rate, _outcome(rate, before)) for rate, before in zip(rates, replaced, strict=True)
        )
        return RatesSet(rule.currency, outcomes)

    return await uow.transaction(work)


def _outcome(rate: ExchangeRate, before: ExchangeRate | None) -> Outcome:
    if before is None:
        return Outcome.CREATED
    return Outcome.UNCHANGED if before.rate == rate.rate else Outcome.REPLACED


async def list_exchange_rates(tenant_id: str, currency: str, uow: UnitOfWork) -> RatesListed:
    async def work(repos: Repositories) -> RatesListed:
        rule = await repos.rules.get_rule(tenant_id)
        if rule is None:
            raise NoEarningRule()
        return RatesListed(rule.currency, tuple(await repos.rates.all(tenant_id, currency)))

    return await uow.read(work)
