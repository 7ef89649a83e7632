"""Return part or all of an order: the points it earned are taken back in proportion, once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from libs.clock import Clock, utc_now
from libs.ids import new_id
from services.points.domain.actors import UNKNOWN, Actor
from services.points.domain.errors import AlreadySeen, OrderNotFound, ReturnConflict
from services.points.domain.events import PointsReversed
from services.points.domain.parsing import parse_id
from services.points.domain.ports import Repositories, UnitOfWork
from services.points.domain.returns import (
    ReturnRecord,
    ReturnRequest,
    came_back,
    parse_return,
    reverse,
)
from services.points.domain.wallet import Wallet


@dataclass(frozen=True)
class ReturnOrder:
    tenant_id: str
    order_id: str
    return_id: str
    lines: list[tuple[str, int]] = field(default_factory=list)
    amount: str = ""
    actor: Actor = UNKNOWN


@dataclass(frozen=True)
class ReturnAnswer:
    record: ReturnRecord
    replayed: bool


async def return_order(cmd: ReturnOrder, uow: UnitOfWork, clock: Clock = utc_now) -> ReturnAnswer:
    order_id = parse_id(cmd.order_id, "order_id")
    request = parse_return(cmd.return_id, cmd.lines, cmd.amount)
    fingerprint = request.fingerprint(order_id)
    now = clock()

    async def work(repos: Repositories) -> ReturnAnswer:
        seen = await repos.returns.get(cmd.tenant_id, request.return_id)
        if seen is not None:
            return _replay(seen, fingerprint)
        record = await _reverse(
            repos, cmd.tenant_id, order_id, request, fingerprint=fingerprint, now=now, by=cmd.actor
        )
        return ReturnAnswer(record, replayed=False)

    try:
        return await uow.transaction(work)
    except AlreadySeen:
        seen = await uow.read(lambda repos: repos.returns.get(cmd.tenant_id, request.return_id))
        if seen is None:
            raise
        return _replay(seen, fingerprint)


def _replay(seen: ReturnRecord, fingerprint: str) -> ReturnAnswer:
    if seen.fingerprint != fingerprint:
        raise ReturnConflict(seen.return_id)
    return ReturnAnswer(seen, replayed=True)


async def _reverse(
    repos: Repositories,
    tenant_id: str,
    order_id: str,
    request: ReturnRequest,
    *,
    fingerprint: str,
    now: datetime,
    by: Actor,
) -> ReturnRecord:
    order = await repos.orders.get(tenant_id, order_id)
    if order is None:
        raise OrderNotFound(order_id)
    wallet = await repos.wallets.get(tenant_id, order.member_id)
    wallet = wallet or Wallet(tenant_id, order.member_id)
    rule = await repos.rules.get_rule(tenant_id)
    cap = rule is not None and rule.returns_cap_at_zero
    quantities_before, amount_before = dict(order.returned_quantities), order.returned_amount
    points, entry, shortfall = reverse(wallet, order, request, now, cap_at_zero=cap)
    back = came_back(order, quantities_before, amount_before)
    record = ReturnRecord(
        tenant_id=tenant_id,
        return_id=request.return_id,
        order_id=order_id,
        member_id=order.member_id,
        fingerprint=fingerprint,
        points_reversed=points,
        balance=wallet.balance(now),
        created_at=now,
        shortfall=shortfall,
        actor=by,
    )
    await repos.returns.add(record)
    await repos.orders.save(order)
    if points or shortfall:
        await repos.wallets.save(wallet)
        await repos.entries.add(wallet, [entry] if entry else [])
        repos.record(
            PointsReversed(
                event_id=new_id("ev"),
                tenant_id=tenant_id,
                member_id=order.member_id,
                order_id=order_id,
                return_id=request.return_id,
                points=record.points_reversed,
                entry_id=entry.entry_id if entry else "",
                balance=record.balance,
                at=now,
                shortfall=shortfall,
                channel=by.channel,
                store_id=by.store_id,
                currency=order.conversion.base_currency if order.conversion else order.currency,
                amount=back.amount,
                lines=back.lines,
                conversion=order.conversion,
            )
        )
    return record
