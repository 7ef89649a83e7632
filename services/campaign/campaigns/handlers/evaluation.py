"""Evaluate an order for the points service: which campaigns add what, and why not others.
Unless it is a dry run, each grant holds its campaign's budget and the member's limit: from
this process's lease in memory for a points effect of a campaign without a per-member
limit (when `leases` is given), else with a hold per order."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime

from libs.clock import Clock
from libs.errors import InvalidArgument
from services.campaign.campaigns.domain.audience import AudienceLookup, NoAudience, with_audience
from services.campaign.campaigns.domain.campaigns import Trigger
from services.campaign.campaigns.domain.daily import zone_day
from services.campaign.campaigns.domain.engine import Applied, Outcome, RuleBooks, Skipped
from services.campaign.campaigns.domain.facts import Line, Member, Purchase
from services.campaign.campaigns.domain.parsing import parse_amount, parse_zone
from services.campaign.campaigns.domain.ports import ActiveCampaigns
from services.campaign.campaigns.domain.reservations import Hold, Leases, Reservations
from services.campaign.campaigns.domain.rules import Campaign, EffectType


@dataclass(frozen=True)
class EvaluateOrder:
    tenant_id: str
    member_id: str
    tier_code: str
    channel: str
    store_id: str
    occurred_at: datetime | None
    total: str
    # (sku, category, quantity, amount, base points)
    lines: list[tuple[str, str, int, str, int]] = field(default_factory=list)
    order_id: str = ""
    enrolled_at: datetime | None = None
    time_zone: str = ""
    dry_run: bool = False
    # 1-12; 0 when unknown.
    birth_month: int = 0
    first_purchase: bool = False


def order_day(cmd: EvaluateOrder) -> str:
    """The order's local date in the tenant's zone: the day its grants count on in the
    campaign's daily results (UTC when the zone is unknown)."""
    return zone_day(cmd.occurred_at, cmd.time_zone)


@dataclass(frozen=True)
class Granted:
    applied: Applied
    reservation_id: str
    # The campaign's name in other languages, (locale, name).
    names: tuple[tuple[str, str], ...] = ()


def _birth_month(month: int) -> int | None:
    if not 0 <= month <= 12:
        raise InvalidArgument("birth_month: 1-12, or 0 when unknown")
    return month or None


def purchase_of(cmd: EvaluateOrder) -> Purchase:
    if cmd.occurred_at is None:
        raise InvalidArgument("occurred_at: required")
    return Purchase(
        member=Member(
            cmd.member_id,
            cmd.tier_code,
            cmd.enrolled_at,
            birth_month=_birth_month(cmd.birth_month),
            first_purchase=cmd.first_purchase,
        ),
        channel=cmd.channel,
        store_id=cmd.store_id,
        occurred_at=cmd.occurred_at,
        total=parse_amount(cmd.total, "total"),
        lines=tuple(
            Line(sku, category, quantity, parse_amount(amount, f"lines[{i}].amount"), base)
            for i, (sku, category, quantity, amount, base) in enumerate(cmd.lines)
        ),
        tz=parse_zone(cmd.time_zone),
    )


@dataclass(frozen=True)
class OrderEvaluator:
    campaigns: ActiveCampaigns
    reservations: Reservations
    clock: Clock
    audience: AudienceLookup = field(default_factory=NoAudience)
    leases: Leases | None = None
    rules: RuleBooks = field(default_factory=RuleBooks)

    async def evaluate(self, cmd: EvaluateOrder) -> tuple[list[Granted], list[Skipped]]:
        purchase = purchase_of(cmd)
        active = await self.campaigns.active_campaigns(cmd.tenant_id, Trigger.PURCHASE)
        rules = self.rules.of(cmd.tenant_id, active)
        purchase = await with_audience(self.audience, cmd.tenant_id, rules.audience_needs, purchase)
        outcome = rules.evaluate(purchase)
        if cmd.dry_run:
            granted = [Granted(a, "", rules.by_id[a.campaign_id].names) for a in outcome.applied]
            return granted, list(outcome.skipped)
        if not cmd.order_id:
            raise InvalidArgument("order_id: required unless dry_run")
        return await self._hold(cmd, rules.by_id, outcome)

    async def _hold(
        self, cmd: EvaluateOrder, by_id: dict[str, Campaign], outcome: Outcome
    ) -> tuple[list[Granted], list[Skipped]]:
        granted, skipped = [], list(outcome.skipped)
        # Each campaign's budget is its own: held side by side, so an order waits for its
        # slowest hold (or new lease), not for their sum.
        holds = await asyncio.gather(
            *(self._reserve(cmd, by_id[a.campaign_id], a) for a in outcome.applied)
        )
        for applied, hold in zip(outcome.applied, holds, strict=True):
            if hold.refused:
                skipped.append(Skipped(applied.campaign_id, applied.campaign_version, hold.refused))
                continue
            names = by_id[applied.campaign_id].names
            granted.append(Granted(applied._replace(points=hold.points), hold.hold_id, names))
        return granted, skipped

    async def _reserve(self, cmd: EvaluateOrder, campaign: Campaign, applied: Applied) -> Hold:
        leased = applied.kind is not EffectType.COUPON and applied.points > 0
        if self.leases is not None and leased and self.leases.covers(campaign):
            return await self.leases.reserve(
                cmd.tenant_id, cmd.order_id, campaign, points=applied.points, now=self.clock()
            )
        return await self.reservations.reserve(
            cmd.tenant_id,
            cmd.order_id,
            cmd.member_id,
            campaign,
            points=applied.points,
            now=self.clock(),
            day=order_day(cmd),
        )
