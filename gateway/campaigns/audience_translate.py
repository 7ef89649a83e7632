"""Segment, dry-run and backtest bodies to the campaign service's messages, and back; a
campaign's results day by day."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from typing import Any

from gateway.campaigns.audience_answers import (
    BacktestDayOut,
    BacktestOut,
    CampaignDayOut,
    CampaignDaysOut,
    DryRunOut,
    SegmentOut,
    SegmentRulesOut,
)
from gateway.campaigns.audience_bodies import DryRunBody, RfmSegmentBody, SegmentRulesBody
from libs.rfm_scores import cell_rules
from libs.timestamps import optional_datetime
from loyalty.campaign.v1 import campaign_audience_pb2 as pb
from loyalty.points.v1 import points_pb2


def rules_message(r: SegmentRulesBody) -> pb.SegmentRules:
    return pb.SegmentRules(
        tiers=r.tiers,
        channels=r.channels,
        store_ids=r.store_ids,
        marketing_consent=r.marketing_consent,
        recency_days=r.recency_days,
        window_days=r.window_days,
        min_orders=r.min_orders,
        min_spend="" if r.min_spend is None else str(r.min_spend),
        min_days_since_purchase=r.min_days_since_purchase,
        max_orders=r.max_orders,
        max_spend="" if r.max_spend is None else str(r.max_spend),
        profiling_consent=r.profiling_consent,
    )


def _money(cents: int | None) -> str:
    return "" if cents is None else str(Decimal(cents).scaleb(-2))


def rfm_cell_message(body: RfmSegmentBody) -> pb.SegmentRules:
    """The cell's bounds over a window of the range's length ending now, of the members
    who did not refuse profiling (as the RFM report counts them)."""
    cell = cell_rules(body.recency, body.frequency, body.monetary, body.window_days)
    return pb.SegmentRules(
        profiling_consent=True,
        recency_days=cell.recency_days,
        min_days_since_purchase=cell.min_days_since_purchase,
        window_days=cell.window_days,
        min_orders=cell.min_orders,
        max_orders=cell.max_orders,
        min_spend=_money(cell.min_spend_cents),
        max_spend=_money(cell.max_spend_cents),
    )


def rfm_segment_name(body: RfmSegmentBody) -> str:
    return body.name or f"RFM R{body.recency} F{body.frequency} M{body.monetary}"


def _opt(message: Any, name: str) -> int | None:
    return int(getattr(message, name)) if message.HasField(name) else None


def segment_out(s: pb.Segment) -> SegmentOut:
    r = s.rules
    return SegmentOut(
        segment_id=s.segment_id,
        name=s.name,
        rules=SegmentRulesOut(
            tiers=list(r.tiers),
            channels=list(r.channels),
            store_ids=list(r.store_ids),
            marketing_consent=r.marketing_consent,
            recency_days=_opt(r, "recency_days"),
            window_days=_opt(r, "window_days"),
            min_orders=_opt(r, "min_orders"),
            min_spend=r.min_spend or None,
            min_days_since_purchase=_opt(r, "min_days_since_purchase"),
            max_orders=_opt(r, "max_orders"),
            max_spend=r.max_spend or None,
            profiling_consent=r.profiling_consent,
        ),
        size=s.size,
        refreshed_at=optional_datetime(s, "refreshed_at"),
        created_at=optional_datetime(s, "created_at"),
        updated_at=optional_datetime(s, "updated_at"),
    )


def _base_points(amount: Decimal, rule: points_pb2.EarningRule, category: str, sku: str) -> int:
    """The tenant's rate on the line's share of the amount paid (before tier multipliers)."""
    if category in rule.excluded_categories or sku in rule.excluded_skus:
        return 0
    rate = Decimal(rule.points_per_unit or "1")
    return int((amount * rate).to_integral_value(rounding=ROUND_FLOOR))


def dry_run_message(
    body: DryRunBody, tenant_id: str, campaign_id: str, time_zone: str, rule: points_pb2.EarningRule
) -> pb.DryRunCampaignRequest:
    """Lines get their share of the total paid, as the points service spreads it."""
    listed = [line.unit_price * line.quantity for line in body.lines]
    full = sum(listed, Decimal(0))
    request = pb.DryRunCampaignRequest(
        tenant_id=tenant_id,
        campaign_id=campaign_id,
        member_id=body.member_id,
        channel=body.channel,
        store_id=body.store_id or "",
        total=str(body.total),
        time_zone=time_zone,
    )
    for line, amount in zip(body.lines, listed, strict=True):
        share = (amount * body.total / full).quantize(Decimal("0.01")) if full else Decimal(0)
        request.lines.append(
            pb.CartLine(
                sku=line.sku,
                category=line.category,
                quantity=line.quantity,
                amount=str(share),
                base_points=_base_points(share, rule, line.category, line.sku),
            )
        )
    if body.occurred_at is not None:
        request.occurred_at.FromDatetime(body.occurred_at)
    return request


def dry_run_out(reply: pb.DryRunCampaignResponse) -> DryRunOut:
    return DryRunOut(
        applies=reply.applies,
        points=reply.points,
        reason=reply.reason or None,
        coupon_template_id=reply.coupon_template_id or None,
    )


def backtest_out(reply: pb.BacktestCampaignResponse, days: int) -> BacktestOut:
    return BacktestOut.model_validate(
        {
            "days": days,
            "orders_replayed": reply.orders_replayed,
            "grants": reply.grants,
            "points_granted": reply.points_granted,
            "members_reached": reply.members_reached,
            "budget_used": _opt(reply, "budget_used"),
            "budget_ran_out_on": reply.budget_ran_out_on or None,
            "from": optional_datetime(reply, "from"),
            "to": optional_datetime(reply, "to"),
            "daily": [
                BacktestDayOut(
                    date=d.date,
                    points_granted=d.points_granted,
                    grants=d.grants,
                    budget_left=_opt(d, "budget_left"),
                )
                for d in reply.days
            ],
        }
    )


def days_out(
    reply: pb.GetCampaignDaysResponse, campaign_id: str, time_zone: str
) -> CampaignDaysOut:
    """The campaign service's days: grants, points, members reached, budget left."""
    return CampaignDaysOut(
        campaign_id=campaign_id,
        time_zone=time_zone or "UTC",
        days=[
            CampaignDayOut(
                date=d.date,
                members_reached=d.members_reached,
                points_granted=d.points_granted,
                grants=d.grants,
                budget_left=_opt(d, "budget_left"),
                # the groups and the uplift: the analytics read model's (campaigns/daily.py)
                targeted=None,
                held_out=None,
            )
            for d in reply.days
        ],
    )
