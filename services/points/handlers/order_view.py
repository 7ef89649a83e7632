"""An order as credited, for operators: what it earned, what the campaign service said of
it, and what returns took back."""

from __future__ import annotations

from dataclasses import dataclass

from services.points.domain.errors import OrderNotFound
from services.points.domain.parsing import parse_id
from services.points.domain.ports import Repositories, UnitOfWork
from services.points.domain.records import OrderRecord
from services.points.domain.returns import ReturnRecord


@dataclass(frozen=True)
class OrderView:
    order: OrderRecord
    returns: tuple[ReturnRecord, ...]


async def get_order(tenant_id: str, order_id: str, uow: UnitOfWork) -> OrderView:
    """OrderNotFound for an order id the tenant does not have."""
    parse_id(order_id, "order_id")

    async def work(repos: Repositories) -> OrderView:
        order = await repos.orders.get(tenant_id, order_id)
        if order is None:
            raise OrderNotFound(order_id)
        returns = await repos.returns.of_order(tenant_id, order_id)
        return OrderView(order, tuple(returns))

    return await uow.read(work)
