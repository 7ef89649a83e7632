"""A member's orders (with their returns) and redemptions, newest first, a page at a time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from services.points.domain.pages import encode_position, page_of
from services.points.domain.parsing import parse_id
from services.points.domain.ports import Repositories, UnitOfWork
from services.points.domain.redemptions import Redemption
from services.points.handlers.order_view import OrderView


@dataclass(frozen=True)
class OrdersPage:
    orders: list[OrderView]
    next_cursor: str


@dataclass(frozen=True)
class RedemptionsPage:
    redemptions: list[Redemption]
    next_cursor: str


R = TypeVar("R")


def _page_end(
    found: list[R], limit: int, position: Callable[[R], tuple[datetime, str]]
) -> tuple[list[R], str]:
    """The page's records (the repository reads one more, to know whether another page
    follows) and the cursor after its last one, empty on the last page."""
    shown = found[:limit]
    if len(found) <= limit or not shown:
        return shown, ""
    return shown, encode_position(*position(shown[-1]))


async def member_orders(
    tenant_id: str,
    member_id: str,
    limit: int,
    cursor: str,
    *,
    uow: UnitOfWork,
    store_ids: frozenset[str] = frozenset(),
) -> OrdersPage:
    parse_id(member_id, "member_id")
    page = page_of(limit, cursor, store_ids)

    async def work(repos: Repositories) -> OrdersPage:
        found = await repos.orders.of_member(tenant_id, member_id, page)
        shown, after = _page_end(found, page.limit, lambda o: (o.created_at, o.order_id))
        views = [
            OrderView(o, tuple(await repos.returns.of_order(tenant_id, o.order_id))) for o in shown
        ]
        return OrdersPage(views, after)

    return await uow.read(work)


async def member_redemptions(
    tenant_id: str,
    member_id: str,
    limit: int,
    cursor: str,
    *,
    uow: UnitOfWork,
    store_ids: frozenset[str] = frozenset(),
) -> RedemptionsPage:
    parse_id(member_id, "member_id")
    page = page_of(limit, cursor, store_ids)

    async def work(repos: Repositories) -> RedemptionsPage:
        found = await repos.redemptions.of_member(tenant_id, member_id, page)
        shown, after = _page_end(found, page.limit, lambda r: (r.created_at, r.redemption_id))
        return RedemptionsPage(shown, after)

    return await uow.read(work)
