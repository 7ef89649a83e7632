"""Accrue an order: base points, the tier's extra and the campaigns' bonus, credited once."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime

from libs.clock import Clock, utc_now
from libs.ids import new_id
from libs.logging import get_logger
from services.points.domain.accrual import Accrual, CampaignBonus, EarningLine, breakdown, credit
from services.points.domain.campaign_results import CampaignResults, results_of
from services.points.domain.earning import EarningRule
from services.points.domain.errors import AlreadySeen, NoEarningRule, OrderConflict
from services.points.domain.events import PointsEarned
from services.points.domain.exchange import Conversion
from services.points.domain.ledger import row_ids
from services.points.domain.orders import MemberContext
from services.points.domain.ports import (
    BonusUnavailable,
    CampaignEvaluator,
    Evaluation,
    Repositories,
    UnitOfWork,
)
from services.points.domain.pricing import PricedOrder, price
from services.points.domain.records import OrderRecord, record_order
from services.points.domain.wallet import Wallet
from services.points.handlers.commands import AccrueOrder, parse_order
from services.points.handlers.exchange_rates import in_base_currency
from services.points.handlers.rule_cache import RuleCache

log = get_logger(__name__)


@dataclass(frozen=True)
class AccrualAnswer:
    accrual: Accrual
    replayed: bool


async def accrue_order(
    cmd: AccrueOrder,
    uow: UnitOfWork,
    campaigns: CampaignEvaluator,
    clock: Clock = utc_now,
    rules: RuleCache | None = None,
) -> AccrualAnswer:
    """Credit an order once. The order's key (tenant, order id) is unique: a retry fails
    to insert it in the transaction and gets the first answer again from the stored order,
    so a new order pays no read for it. `rules` remembers the earning rule (read every
    time without)."""
    now = clock()
    order, member = parse_order(cmd, now)
    fingerprint = order.fingerprint()
    # Two independent reads, side by side: the hot path pays for one round trip.
    rule, seen_before = await asyncio.gather(
        _rule(order.tenant_id, uow, rules),
        uow.read(lambda repos: repos.orders.any_of_member(order.tenant_id, order.member_id)),
    )
    if rule is None:
        raise NoEarningRule()
    earning, conversion = await in_base_currency(order, rule, uow)
    priced = price(earning, rule)
    first = not seen_before
    evaluation = Evaluation(priced, member, time_zone=rule.time_zone, first_purchase=first)
    bonuses, results, pending = await _evaluate(campaigns, evaluation)
    lines = breakdown(priced, rule, member, bonuses)
    coupons = tuple(c.campaign_id for c in results.coupons)
    credited = Credit(
        priced,
        member,
        rule,
        lines,
        pending,
        fingerprint,
        now,
        first,
        coupons,
        results,
        tuple(b for b in bonuses if b.points > 0),
        conversion,
    )
    try:
        answer = AccrualAnswer(await uow.transaction(credited.run), replayed=False)
    except AlreadySeen:
        # A retry, or a duplicate that won: the order is stored, and answers.
        seen = await uow.read(lambda repos: repos.orders.get(order.tenant_id, order.order_id))
        if seen is None:
            await campaigns.settle(
                bonuses, tenant_id=order.tenant_id, order_id=order.order_id, commit=False
            )
            raise
        await _settle_replay(campaigns, bonuses, seen)
        return _replay(seen, fingerprint)
    except Exception:
        await campaigns.settle(
            bonuses, tenant_id=order.tenant_id, order_id=order.order_id, commit=False
        )
        raise
    await campaigns.settle(bonuses, tenant_id=order.tenant_id, order_id=order.order_id, commit=True)
    return answer


async def _rule(tenant_id: str, uow: UnitOfWork, rules: RuleCache | None) -> EarningRule | None:
    if rules is not None:
        return await rules.get(tenant_id, uow)
    return await uow.read(lambda repos: repos.rules.get_rule(tenant_id))


async def _settle_replay(
    campaigns: CampaignEvaluator, bonuses: list[CampaignBonus], seen: OrderRecord
) -> None:
    """The holds this attempt's evaluation returned, settled as the stored order decided:
    a hold is one per order and campaign, so those of the campaigns the order credited
    are its own (committing again does nothing) and the others are strays, given back.
    An order stored with its bonus pending is left to the campaign service, which pays
    and settles its holds from `points.earned`."""
    if seen.answer.bonus_pending or not bonuses:
        return
    credited = {line.campaign_id for line in seen.answer.breakdown if line.campaign_id}
    kept = [b for b in bonuses if b.campaign_id in credited]
    strays = [b for b in bonuses if b.campaign_id not in credited]
    tenant_id, order_id = seen.tenant_id, seen.order_id
    if kept:
        await campaigns.settle(kept, tenant_id=tenant_id, order_id=order_id, commit=True)
    if strays:
        await campaigns.settle(strays, tenant_id=tenant_id, order_id=order_id, commit=False)


def _replay(seen: OrderRecord, fingerprint: str) -> AccrualAnswer:
    if seen.fingerprint != fingerprint:
        raise OrderConflict(seen.order_id)
    return AccrualAnswer(seen.answer, replayed=True)


async def _evaluate(
    campaigns: CampaignEvaluator, evaluation: Evaluation
) -> tuple[list[CampaignBonus], CampaignResults, bool]:
    """The bonuses to credit, what the order keeps of the evaluation, and whether the
    answer missed the deadline (then the order keeps no skipped list)."""
    try:
        answer = await campaigns.evaluate(evaluation)
    except BonusUnavailable as exc:
        log.warning(
            "campaign_bonus_pending", order_id=evaluation.priced.order.order_id, error=str(exc)
        )
        return [], CampaignResults(), True
    return list(answer.bonuses), results_of(answer), False


@dataclass(frozen=True)
class Credit:
    """The transaction of one order; it may run more than once, so it only reads and writes
    through the repositories it is given."""

    priced: PricedOrder
    member: MemberContext
    rule: EarningRule
    lines: tuple[EarningLine, ...]
    bonus_pending: bool
    fingerprint: str
    now: datetime
    first_purchase: bool = False
    coupon_campaign_ids: tuple[str, ...] = ()
    campaigns: CampaignResults = field(default_factory=CampaignResults)
    # The points bonuses credited, named in the event with the budget each was held from.
    bonuses: tuple[CampaignBonus, ...] = ()
    # What the order was before it was converted into the base currency, if it was.
    conversion: Conversion | None = None

    async def run(self, repos: Repositories) -> Accrual:
        order, now = self.priced.order, self.now
        wallet = await repos.wallets.get(order.tenant_id, order.member_id)
        wallet = wallet or Wallet(order.tenant_id, order.member_id)
        lot_id = new_id("lot")
        expires_at = self.rule.expiry_for(order.occurred_at)
        release_at = self.rule.release_for(order.occurred_at)
        entries = credit(
            wallet,
            order,
            self.lines,
            lot_id=lot_id,
            expires_at=expires_at,
            at=now,
            release_at=release_at,
        )
        points = sum(line.points for line in self.lines if line.points > 0)
        answer = Accrual(
            order.order_id,
            order.member_id,
            points,
            self.lines,
            self.bonus_pending,
            wallet.balance(now),
        )
        lot_ids = (lot_id,) if points else ()
        await repos.orders.add(
            record_order(
                order,
                self.priced,
                answer,
                fingerprint=self.fingerprint,
                lot_ids=lot_ids,
                created_at=now,
                campaigns=self.campaigns,
                conversion=self.conversion,
            )
        )
        if points:
            await repos.wallets.save(wallet)
            await repos.entries.add(wallet, entries)
        repos.record(
            PointsEarned(
                event_id=new_id("ev"),
                order=order,
                member=self.member,
                lines=self.priced.lines,
                points=points,
                breakdown=self.lines,
                bonus_pending=self.bonus_pending,
                lot_expires_at=expires_at if points else None,
                pending_until=release_at if points and not entries else None,
                entry_ids=row_ids(entries),
                balance=answer.balance,
                at=now,
                time_zone=self.rule.time_zone,
                first_purchase=self.first_purchase,
                coupon_campaign_ids=self.coupon_campaign_ids,
                campaign_bonuses=self.bonuses,
                conversion=self.conversion,
            )
        )
        return answer
