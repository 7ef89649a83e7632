"""Redemptions, two-phase like a card payment: held, then captured, released or expired."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from libs import reasons
from libs.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from services.points.domain.actors import UNKNOWN, Actor
from services.points.domain.ledger import Entry, EntryType
from services.points.domain.lots import LotTake
from services.points.domain.wallet import Wallet

DEFAULT_HOLD = timedelta(seconds=900)
MAX_HOLD = timedelta(days=7)


class RedemptionStatus(StrEnum):
    HELD = "held"
    CAPTURED = "captured"
    RELEASED = "released"
    REVERSED = "reversed"
    EXPIRED = "expired"


@dataclass
class Redemption:
    redemption_id: str
    tenant_id: str
    member_id: str
    points: int
    order_id: str
    channel: str
    store_id: str
    status: RedemptionStatus
    created_at: datetime
    expires_at: datetime
    # The lots the points came from, so that a cancel puts them back where they were.
    takes: tuple[LotTake, ...]
    version: int = 0
    # What of the points, released back into their lots, paid a debt at once.
    debt_paid: tuple[LotTake, ...] = ()
    held_by: Actor = UNKNOWN
    cancelled_by: Actor = UNKNOWN

    def describe(self) -> str:
        where = f" at store {self.store_id}" if self.store_id else ""
        order = f" on order {self.order_id}" if self.order_id else ""
        return f"redeemed{order}{where}"


Step = Callable[[Wallet, Redemption, datetime], Entry | None]


def hold_duration(seconds: int) -> timedelta:
    if seconds < 0 or timedelta(seconds=seconds) > MAX_HOLD:
        raise InvalidArgument(f"hold_seconds: between 1 and {int(MAX_HOLD.total_seconds())}")
    return timedelta(seconds=seconds) if seconds else DEFAULT_HOLD


def hold(
    wallet: Wallet,
    *,
    redemption_id: str,
    points: int,
    order_id: str,
    channel: str,
    store_id: str,
    duration: timedelta,
    now: datetime,
    by: Actor = UNKNOWN,
) -> Redemption:
    """Points leave `available` for `held`; a hold writes no entry, they are still the member's."""
    takes = wallet.spend(points)
    wallet.mark_lots()  # the redemption's takes name these moves
    wallet.held += points
    return Redemption(
        redemption_id=redemption_id,
        tenant_id=wallet.tenant_id,
        member_id=wallet.member_id,
        points=points,
        order_id=order_id,
        channel=channel,
        store_id=store_id,
        status=RedemptionStatus.HELD,
        created_at=now,
        expires_at=now + duration,
        takes=tuple(takes),
        held_by=by,
    )


def check_store(redemption: Redemption, stores: frozenset[str]) -> None:
    """A caller bound to `stores` (none: any store) may capture or cancel only a
    redemption held at one of them."""
    if stores and redemption.store_id not in stores:
        raise PermissionDenied(
            f"redemption {redemption.redemption_id} was held at another store", code="forbidden"
        )


def check_reversal(redemption: Redemption, by: Actor, *, may_reverse_any: bool) -> None:
    """A captured redemption is reversed only where it was captured: by its own channel,
    and at its own store when the caller acts for one. An operator whose role has the
    right may reverse any; holds are not concerned (releasing one gives nothing back)."""
    if redemption.status is not RedemptionStatus.CAPTURED or may_reverse_any:
        return
    other_channel = by.channel != redemption.channel
    other_store = bool(by.store_id) and by.store_id != redemption.store_id
    if other_channel or other_store:
        where = f"{redemption.channel} at store {redemption.store_id}".removesuffix(" at store ")
        raise PermissionDenied(
            f"redemption {redemption.redemption_id} was captured by {where}; only there, or "
            "an operator with the right, may reverse it",
            code="reversal_not_allowed",
        )


def capture(wallet: Wallet, redemption: Redemption, now: datetime) -> Entry | None:
    """The `redeem` entry; None when it was captured before."""
    if redemption.status is RedemptionStatus.CAPTURED:
        return None
    if redemption.status is not RedemptionStatus.HELD:
        raise FailedPrecondition(
            f"the redemption is {redemption.status.value}", code="redemption_not_held"
        )
    if now >= redemption.expires_at:
        raise FailedPrecondition("the hold has expired", code="redemption_expired")
    wallet.held -= redemption.points
    redemption.status = RedemptionStatus.CAPTURED
    return wallet.entry(
        EntryType.REDEEM,
        -redemption.points,
        redemption.describe(),
        now,
        order_id=redemption.order_id,
        redemption_id=redemption.redemption_id,
        lots=tuple((t.lot_id, -t.points) for t in redemption.takes),
        reason_code=reasons.REDEEMED,
        reason_params=reasons.redeemed(redemption.order_id, redemption.store_id),
    )


def cancel(wallet: Wallet, redemption: Redemption, now: datetime) -> Entry | None:
    """A hold is released; a captured redemption is reversed with a `redeem_cancel` entry.
    The points go back to the lots they came from. Cancelling again changes nothing."""
    if redemption.status is RedemptionStatus.HELD:
        _release(wallet, redemption, RedemptionStatus.RELEASED)
        return None
    if redemption.status is not RedemptionStatus.CAPTURED:
        return None
    wallet.give_back(redemption.takes)
    redemption.status = RedemptionStatus.REVERSED
    return wallet.entry(
        EntryType.REDEEM_CANCEL,
        redemption.points,
        f"cancelled: {redemption.describe()}",
        now,
        order_id=redemption.order_id,
        redemption_id=redemption.redemption_id,
        reason_code=reasons.REDEEM_CANCELLED,
        reason_params=reasons.redeemed(redemption.order_id, redemption.store_id),
    )


def expire(wallet: Wallet, redemption: Redemption, now: datetime) -> bool:
    """Release a hold that was not captured in time; False when there is nothing to do."""
    if redemption.status is not RedemptionStatus.HELD or now < redemption.expires_at:
        return False
    _release(wallet, redemption, RedemptionStatus.EXPIRED)
    return True


def _release(wallet: Wallet, redemption: Redemption, status: RedemptionStatus) -> None:
    """The points go back to their lots with no entry: the redemption names those moves,
    and what of them paid a debt."""
    wallet.held -= redemption.points
    redemption.debt_paid = tuple(wallet.give_back(redemption.takes))
    wallet.mark_lots()
    redemption.status = status
