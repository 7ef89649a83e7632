"""A member's orders (with their returns) and redemptions, newest first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass

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
        # One more than the page, to know whether another follows.
        found = await repos.orders.of_member(tenant_id, member_id, page)
        shown = found[: page.limit]
        views = [
            OrderView(o, tuple(await repos.returns.of_order(tenant_id, o.order_id))) for o in shown
        ]
        more = len(found) > page.limit
        last = shown[-1] if shown else None
        after = encode_position(last.created_at, last.order_id) if more and last else ""
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
        shown = found[: page.limit]
        more = len(found) > page.limit
        last = shown[-1] if shown else None
        after = encode_position(last.created_at, last.redemption_id) if more and last else ""
        return RedemptionsPage(shown, after)

    return await uow.read(work)
