"""Operators look before a campaign runs: against one cart (dry run) and against the
tenant's past purchases (backtest). Its comparison with its held-out members is the
analytics read model's (the gateway composes it into the campaign's results), so that a
read of the results never loads the tenant's members."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
from typing import Protocol

from libs.clock import Clock
from libs.errors import InvalidArgument
from services.campaign.campaigns.domain.audience import (
    AudienceLookup,
    MemberAudience,
    audience_needs,
)
from services.campaign.campaigns.domain.backtest import (
    BacktestDay,
    BacktestReport,
    backtest_days,
    replay,
)
from services.campaign.campaigns.domain.daily import days_from
from services.campaign.campaigns.domain.engine import evaluate
from services.campaign.campaigns.domain.errors import CampaignNotFound
from services.campaign.campaigns.domain.facts import Purchase
from services.campaign.campaigns.domain.history import MemberFacts, OrderRecord
from services.campaign.campaigns.domain.lifecycle import rules_of
from services.campaign.campaigns.domain.ports import CampaignStore
from services.campaign.campaigns.domain.rules import Campaign, EffectType
from services.campaign.campaigns.domain.segments import WindowStats

MAX_BACKTEST_DAYS = 366


class History(Protocol):
    async def window_stats(
        self, tenant_id: str, start: datetime, end: datetime
    ) -> dict[str, WindowStats]: ...
    async def orders_between(
        self, tenant_id: str, start: datetime, end: datetime
    ) -> list[OrderRecord]: ...
    async def members(self, tenant_id: str) -> frozenset[str]: ...
    async def facts(self, tenant_id: str, member_id: str) -> MemberFacts | None: ...


class Memberships(Protocol):
    async def member_ids(self, tenant_id: str, segment_id: str) -> frozenset[str]: ...
    async def consenting(self, tenant_id: str) -> frozenset[str]: ...


@dataclass(frozen=True)
class DryRun:
    applies: bool
    points: int
    reason: str
    coupon_template_id: str


@dataclass(frozen=True)
class Backtest:
    report: BacktestReport
    start: datetime
    end: datetime
    # Every local day of the window, oldest first.
    days: list[BacktestDay]


async def audience_of(
    campaign: Campaign, tenant_id: str, history: History, memberships: Memberships
) -> frozenset[str]:
    """Who the campaign may reach: its segment (or every known member), and of those only
    members who consented to marketing when it contacts them."""
    segment_id = campaign.conditions.segment_id
    if segment_id:
        members = await memberships.member_ids(tenant_id, segment_id)
    else:
        members = await history.members(tenant_id)
    if campaign.effect.type is EffectType.COUPON:
        members = members & await memberships.consenting(tenant_id)
    return members


@dataclass(frozen=True)
class Insights:
    store: CampaignStore
    history: History
    memberships: Memberships
    audience: AudienceLookup
    clock: Clock

    async def _campaign(self, tenant_id: str, campaign_id: str) -> Campaign:
        record = await self.store.get(tenant_id, campaign_id) if campaign_id else None
        if record is None:
            raise CampaignNotFound(campaign_id)
        return rules_of(record)

    async def dry_run(self, tenant_id: str, campaign_id: str, purchase: Purchase) -> DryRun:
        """The member is read from the facts this service keeps (tier, enrolment, first
        purchase, segments, consent); nothing is reserved."""
        campaign = await self._campaign(tenant_id, campaign_id)
        member_id = purchase.member.member_id
        facts = await self.history.facts(tenant_id, member_id)
        segments, consent = audience_needs([campaign])
        known = await self.audience.member_audience(tenant_id, member_id, segments, consent)
        member = replace(
            purchase.member,
            tier_code=purchase.member.tier_code or (facts.tier_code if facts else ""),
            enrolled_at=facts.enrolled_at if facts else None,
            first_purchase=facts is None or facts.orders == 0,
            segments=known.segments,
            marketing_consent=known.marketing_consent,
        )
        outcome = evaluate([campaign], replace(purchase, member=member))
        if outcome.applied:
            a = outcome.applied[0]
            return DryRun(True, a.points, "", a.coupon_template_id)
        return DryRun(False, 0, outcome.skipped[0].reason, "")

    async def backtest(self, tenant_id: str, campaign_id: str, days: int, tz: tzinfo) -> Backtest:
        if not 1 <= days <= MAX_BACKTEST_DAYS:
            raise InvalidArgument(f"days: from 1 to {MAX_BACKTEST_DAYS}")
        campaign = await self._campaign(tenant_id, campaign_id)
        end = self.clock()
        start = end - timedelta(days=days)
        orders = await self.history.orders_between(tenant_id, start, end)
        segment_id = campaign.conditions.segment_id
        members = await self.memberships.member_ids(tenant_id, segment_id) if segment_id else None
        consenting = frozenset[str]()
        if campaign.effect.type is EffectType.COUPON:
            consenting = await self.memberships.consenting(tenant_id)

        def audience(member_id: str) -> MemberAudience:
            inside = members is not None and member_id in members
            return MemberAudience(
                frozenset({segment_id}) if inside else frozenset(), member_id in consenting
            )

        report = replay(campaign, orders, audience, tz)
        window = days_from(start.astimezone(tz).date(), end.astimezone(tz).date())
        daily = backtest_days(report, window, campaign.limits.budget_points)
        return Backtest(report, start, end, daily)
