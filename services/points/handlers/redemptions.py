"""Hold points at checkout, then capture, cancel, or let the hold expire."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from libs.clock import Clock, utc_now
from libs.ids import new_id
from services.points.domain import redemptions
from services.points.domain.actors import UNKNOWN, Actor
from services.points.domain.balances import Balance
from services.points.domain.errors import RedemptionNotFound
from services.points.domain.events import PointsHeld, PointsRedeemed, PointsReleased
from services.points.domain.ledger import Entry
from services.points.domain.parsing import parse_channel, parse_id, parse_points, parse_store
from services.points.domain.ports import Repositories, UnitOfWork
from services.points.domain.redemptions import Redemption, RedemptionStatus
from services.points.domain.wallet import Wallet


@dataclass(frozen=True)
class HoldPoints:
    tenant_id: str
    member_id: str
    points: int
    channel: str
    store_id: str = ""
    order_id: str = ""
    hold_seconds: int = 0
    capture: bool = False
    key_id: str = ""


@dataclass(frozen=True)
class RedemptionView:
    redemption: Redemption
    balance: Balance
    # Whether this call moved the redemption (a repeated step answers the same, unmoved).
    changed: bool = True


async def hold_points(cmd: HoldPoints, uow: UnitOfWork, clock: Clock = utc_now) -> RedemptionView:
    """Points go from available to held; with `capture` they are redeemed at once. Refused
    with insufficient_points when available is short, whatever the concurrency."""
    member_id = parse_id(cmd.member_id, "member_id")
    points = parse_points(cmd.points, "points")
    channel = parse_channel(cmd.channel)
    store_id = parse_store(channel, cmd.store_id)
    order_id = parse_id(cmd.order_id, "order_id") if cmd.order_id else ""
    duration = redemptions.hold_duration(cmd.hold_seconds)
    now = clock()

    async def work(repos: Repositories) -> RedemptionView:
        wallet = await repos.wallets.get(cmd.tenant_id, member_id)
        wallet = wallet or Wallet(cmd.tenant_id, member_id)
        redemption = redemptions.hold(
            wallet,
            redemption_id=new_id("rd"),
            points=points,
            order_id=order_id,
            channel=channel,
            store_id=store_id,
            duration=duration,
            now=now,
            by=Actor(channel, store_id, cmd.key_id),
        )
        entry = redemptions.capture(wallet, redemption, now) if cmd.capture else None
        await repos.redemptions.add(redemption)
        await _store(repos, wallet, redemption, entry, now)
        return RedemptionView(redemption, wallet.balance(now))

    return await uow.transaction(work)


async def capture_redemption(
    tenant_id: str,
    redemption_id: str,
    uow: UnitOfWork,
    clock: Clock = utc_now,
    stores: frozenset[str] = frozenset(),
) -> RedemptionView:
    """Capturing again answers the same and changes nothing. A caller bound to `stores`
    may capture only what was held at one of them."""
    return await _change(tenant_id, redemption_id, redemptions.capture, uow, clock, stores=stores)


async def cancel_redemption(
    tenant_id: str,
    redemption_id: str,
    uow: UnitOfWork,
    clock: Clock = utc_now,
    *,
    stores: frozenset[str] = frozenset(),
    by: Actor = UNKNOWN,
    may_reverse_any: bool = False,
) -> RedemptionView:
    """A hold is released; a captured redemption is reversed, by its own channel and store
    only unless `may_reverse_any`. Again: the same answer. Records who cancelled it."""

    def cancel(wallet: Wallet, redemption: Redemption, now: datetime) -> Entry | None:
        redemptions.check_reversal(redemption, by, may_reverse_any=may_reverse_any)
        before = redemption.status
        entry = redemptions.cancel(wallet, redemption, now)
        if redemption.status is not before:
            redemption.cancelled_by = by
        return entry

    return await _change(tenant_id, redemption_id, cancel, uow, clock, stores=stores)


async def _change(
    tenant_id: str,
    redemption_id: str,
    step: redemptions.Step,
    uow: UnitOfWork,
    clock: Clock,
    *,
    stores: frozenset[str],
) -> RedemptionView:
    parse_id(redemption_id, "redemption_id")
    now = clock()

    async def work(repos: Repositories) -> RedemptionView:
        redemption = await repos.redemptions.get(tenant_id, redemption_id)
        if redemption is None:
            raise RedemptionNotFound(redemption_id)
        redemptions.check_store(redemption, stores)
        wallet = await repos.wallets.get(tenant_id, redemption.member_id)
        wallet = wallet or Wallet(tenant_id, redemption.member_id)
        before = redemption.status
        entry = step(wallet, redemption, now)
        changed = redemption.status is not before
        if changed:
            await repos.redemptions.save(redemption)
            await _store(repos, wallet, redemption, entry, now)
        return RedemptionView(redemption, wallet.balance(now), changed=changed)

    return await uow.transaction(work)


async def expire_due_holds(uow: UnitOfWork, clock: Clock = utc_now, limit: int = 100) -> int:
    """Release holds past their time; safe on several replicas, since each release re-reads
    the hold in its transaction and a hold released by another is left alone."""
    now = clock()
    due = await uow.read(lambda repos: repos.redemptions.due(now, limit))
    released = 0
    for tenant_id, redemption_id in due:

        async def work(
            repos: Repositories, tenant_id: str = tenant_id, redemption_id: str = redemption_id
        ) -> bool:
            redemption = await repos.redemptions.get(tenant_id, redemption_id)
            if redemption is None:
                return False
            wallet = await repos.wallets.get(tenant_id, redemption.member_id)
            wallet = wallet or Wallet(tenant_id, redemption.member_id)
            if not redemptions.expire(wallet, redemption, now):
                return False
            await repos.redemptions.save(redemption)
            await _store(repos, wallet, redemption, None, now)
            return True

        released += await uow.transaction(work)
    return released


async def _store(
    repos: Repositories,
    wallet: Wallet,
    redemption: Redemption,
    entry: Entry | None,
    now: datetime,
) -> None:
    await repos.wallets.save(wallet)
    if entry is not None:
        await repos.entries.add(wallet, [entry])
    balance = wallet.balance(now)
    entry_id = entry.entry_id if entry else ""
    if redemption.status is RedemptionStatus.CAPTURED:
        repos.record(
            PointsRedeemed(
                event_id=new_id("ev"),
                tenant_id=wallet.tenant_id,
                member_id=wallet.member_id,
                redemption_id=redemption.redemption_id,
                points=redemption.points,
                order_id=redemption.order_id,
                channel=redemption.channel,
                store_id=redemption.store_id,
                entry_id=entry_id,
                balance=balance,
                at=now,
            )
        )
    elif redemption.status is RedemptionStatus.HELD:
        repos.record(
            PointsHeld(
                event_id=new_id("ev"),
                tenant_id=wallet.tenant_id,
                member_id=wallet.member_id,
                redemption_id=redemption.redemption_id,
                points=redemption.points,
                order_id=redemption.order_id,
                channel=redemption.channel,
                store_id=redemption.store_id,
                balance=balance,
                at=now,
            )
        )
    else:
        repos.record(
            PointsReleased(
                event_id=new_id("ev"),
                tenant_id=wallet.tenant_id,
                member_id=wallet.member_id,
                redemption_id=redemption.redemption_id,
                points=redemption.points,
                status=redemption.status.value,
                entry_id=entry_id,
                balance=balance,
                at=now,
            )
        )
