"""Follow `points.earned`: count the purchase's bonus as granted, and pay a pending one.

The points service settles its campaigns' holds right after it credits an order; if it
crashed before that, or its answer was lost, the sweep would release budget that was in
fact paid. Each credited order's event therefore confirms its holds again (committing
twice does nothing; a released hold is taken again), and counts the bonuses credited from
a budget lease as granted (domain/leases.py), in the same transaction as the event's claim,
so each is counted once. When the campaign service missed the
order's deadline (`bonus_pending`), the order is evaluated again here, each points effect
is granted through the points service under the key "<campaign>:<order>", and
its hold is confirmed, as is a coupon effect's (its coupon is then issued); a hold the
till's evaluation took that this one does not keep is released, and what it allotted from
a lease is refunded. A pending bonus is paid from holds, not leases: where a lease of this
process keeps the budget a hold needs, the lease is given back and the order evaluated
again. The grant keys and the event's claim make a redelivered event pay nothing more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from libs.logging import get_logger
from libs.reasons import CAMPAIGN_BONUS, campaign_bonus
from services.campaign.campaigns.domain.grants import PointsGrant, PointsGranter
from services.campaign.campaigns.domain.reservations import (
    LeaseGrant,
    Leases,
    Reservations,
    hold_id,
)
from services.campaign.campaigns.domain.rules import EffectType
from services.campaign.campaigns.handlers.evaluation import (
    EvaluateOrder,
    Granted,
    OrderEvaluator,
    order_day,
)

# One consumer of the points events keeps the purchase history and settles the bonuses
# (entrypoints/consumers/history.py), each event claimed once in its inbox.
CONSUMER = "campaign-history-points"

log = get_logger(__name__)


@dataclass(frozen=True)
class SettlePurchase:
    """From `points.earned`."""

    event_id: str
    # The order as the points service priced it, for evaluating it again.
    order: EvaluateOrder
    # The campaigns whose bonus (points or coupon) the order was credited with.
    credited_campaigns: tuple[str, ...]
    bonus_pending: bool
    # The bonuses credited from budget leases (their campaigns are not in the above).
    lease_grants: tuple[LeaseGrant, ...] = ()


class SettledPurchases(Protocol):
    async def seen(
        self, consumer: str, event_id: str, *, tenant_id: str = "", order_id: str = ""
    ) -> bool:
        """Whether `consumer` has handled the event already (with the order it is about:
        the order's record may be the event's)."""
        ...

    async def confirm(
        self,
        consumer: str,
        event_id: str,
        tenant_id: str,
        hold_ids: Sequence[str],
        *,
        member_id: str = "",
        lease_grants: Sequence[LeaseGrant] = (),
        day: str = "",
    ) -> bool:
        """In one transaction: claim the event, confirm each hold (see
        `MongoReservations.confirm`) and count each lease grant as granted to the member on
        `day` (the order's local date). False when the event was claimed before."""
        ...


@dataclass(frozen=True)
class Confirmation:
    """What an order's event confirms, in the transaction that claims the event: its
    holds (committed, or taken again if the sweep released them) and its lease grants."""

    tenant_id: str
    order_id: str
    member_id: str
    holds: tuple[str, ...]
    lease_grants: tuple[LeaseGrant, ...]
    # Points paid now for a bonus left pending at the till.
    paid: int = 0
    # The order's local date: the day its grants count on in the daily results.
    day: str = ""


def _is_coupon(granted: Granted) -> bool:
    return granted.applied.kind is EffectType.COUPON


def grant_key(granted: Granted, order_id: str) -> str:
    """One per campaign and order, whatever the campaign's version (like the order's hold):
    an event redelivered after a campaign edit pays nothing more."""
    return f"{granted.applied.campaign_id}:{order_id}"


@dataclass(frozen=True)
class PurchaseBonusSettler:
    evaluator: OrderEvaluator
    reservations: Reservations
    settled: SettledPurchases
    points: PointsGranter
    leases: Leases | None = None

    async def __call__(self, cmd: SettlePurchase) -> int:
        """The points granted now (0 for a redelivered event, or nothing pending)."""
        confirmation = await self.prepare(cmd)
        if confirmation is None:
            return 0
        claimed = await self.settled.confirm(
            CONSUMER,
            cmd.event_id,
            confirmation.tenant_id,
            confirmation.holds,
            member_id=confirmation.member_id,
            lease_grants=confirmation.lease_grants,
            day=confirmation.day,
        )
        self.confirmed(confirmation)
        return confirmation.paid if claimed else 0

    async def prepare(self, cmd: SettlePurchase) -> Confirmation | None:
        """Pay a pending bonus (through the points service, under its grant keys), and say
        what the event's claim is to confirm; None when there is nothing to confirm (most
        orders) or a pending bonus was settled already."""
        if not (cmd.bonus_pending or cmd.credited_campaigns or cmd.lease_grants):
            return None
        order = cmd.order
        holds = [hold_id(order.tenant_id, order.order_id, c) for c in cmd.credited_campaigns]
        paid = 0
        if cmd.bonus_pending:
            # Only a pending bonus pays before the claim: look first.
            seen = self.settled.seen(
                CONSUMER, cmd.event_id, tenant_id=order.tenant_id, order_id=order.order_id
            )
            if await seen:
                return None
            if self.leases is not None:
                await self.leases.refund(order.tenant_id, order.order_id)
            granted = await self._grant_pending(order)
            holds += [g.reservation_id for g in granted if g.reservation_id]
            paid = sum(g.applied.points for g in granted if not _is_coupon(g))
            await self._release_strays(order, holds)
        return Confirmation(
            order.tenant_id,
            order.order_id,
            order.member_id,
            tuple(holds),
            cmd.lease_grants,
            paid,
            order_day(order),
        )

    def confirmed(self, confirmation: Confirmation) -> None:
        """The claim committed: the order's allotments need remembering no more."""
        if self.leases is not None:
            self.leases.confirmed(confirmation.tenant_id, confirmation.order_id)

    async def _evaluate_pending(self, order: EvaluateOrder) -> list[Granted]:
        """The order's effects with holds; where a campaign's budget is exhausted for a hold
        while this process's lease keeps some of it, the lease goes back and the order is
        evaluated again (its holds taken already are found again, not taken twice)."""
        effects, skipped = await self.evaluator.evaluate(order)
        if self.leases is None:
            return effects
        released = [
            await self.leases.release(order.tenant_id, s.campaign_id)
            for s in skipped
            if s.reason == "budget_exhausted"
        ]
        if any(released):
            effects, _ = await self.evaluator.evaluate(order)
        return effects

    async def _grant_pending(self, order: EvaluateOrder) -> list[Granted]:
        """Grant each points effect of the order evaluated again; the effects whose holds
        are to be confirmed: those paid, and the coupons (a committed coupon hold has its
        coupon issued, as after the order's own SettleGrants). On a failure the holds of
        the grants paid are committed, the others released, and the error raised, so that
        the event comes again (and pays only what is still unpaid)."""
        effects = await self._evaluate_pending(order)
        payable = [g for g in effects if not _is_coupon(g) and g.applied.points > 0]
        paid: list[Granted] = []
        try:
            for granted in payable:
                await self.points.grant(self._grant(order, granted))
                paid.append(granted)
        except Exception:
            await self._settle(order.tenant_id, paid, commit=True)
            await self._settle(order.tenant_id, [g for g in effects if g not in paid], commit=False)
            raise
        kept = paid + [g for g in effects if _is_coupon(g)]
        await self._settle(order.tenant_id, [g for g in effects if g not in kept], commit=False)
        return kept

    async def _release_strays(self, order: EvaluateOrder, kept: Sequence[str]) -> None:
        """Give back what the till's evaluation held for this order but the order was not
        credited with and this evaluation did not keep (the campaign ended or changed in
        between): the order's deadline passed, so nobody else will settle it."""
        for stray in await self.reservations.holds_of_order(order.tenant_id, order.order_id):
            if stray not in kept:
                await self.reservations.settle(order.tenant_id, stray, commit=False)

    def _grant(self, order: EvaluateOrder, granted: Granted) -> PointsGrant:
        applied = granted.applied
        return PointsGrant(
            tenant_id=order.tenant_id,
            member_id=order.member_id,
            grant_key=grant_key(granted, order.order_id),
            points=applied.points,
            campaign_id=applied.campaign_id,
            campaign_version=applied.campaign_version,
            reason=f"{applied.description} (v{applied.campaign_version})",
            order_id=order.order_id,
            reason_code=CAMPAIGN_BONUS,
            reason_params=tuple(
                campaign_bonus(
                    applied.campaign_id,
                    applied.campaign_version,
                    applied.description,
                    dict(granted.names),
                ).items()
            ),
        )

    async def _settle(self, tenant_id: str, effects: Sequence[Granted], *, commit: bool) -> None:
        for granted in effects:
            if granted.reservation_id:
                await self.reservations.settle(tenant_id, granted.reservation_id, commit)
