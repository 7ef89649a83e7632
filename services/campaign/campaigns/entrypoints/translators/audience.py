"""Segments, dry runs, backtests and holdout figures between messages and the domain."""

from __future__ import annotations

from datetime import datetime

from libs.errors import InvalidArgument
from libs.timestamps import aware, optional_timestamp, timestamp
from loyalty.campaign.v1 import campaign_audience_pb2 as pb
from services.campaign.campaigns.domain.daily import ResultDay
from services.campaign.campaigns.domain.facts import Line, Member, Purchase
from services.campaign.campaigns.domain.parsing import parse_amount, parse_zone
from services.campaign.campaigns.domain.segments import Segment, SegmentRules
from services.campaign.campaigns.handlers.insights import Backtest


def rules_from(r: pb.SegmentRules) -> SegmentRules:
    return SegmentRules(
        tiers=frozenset(r.tiers),
        channels=frozenset(r.channels),
        store_ids=frozenset(r.store_ids),
        marketing_consent=r.marketing_consent,
        recency_days=r.recency_days if r.HasField("recency_days") else None,
        window_days=r.window_days if r.HasField("window_days") else None,
        min_orders=r.min_orders if r.HasField("min_orders") else None,
        min_spend=parse_amount(r.min_spend, "rules.min_spend") if r.min_spend else None,
        min_days_since_purchase=(
            r.min_days_since_purchase if r.HasField("min_days_since_purchase") else None
        ),
        max_orders=r.max_orders if r.HasField("max_orders") else None,
        max_spend=parse_amount(r.max_spend, "rules.max_spend") if r.max_spend else None,
        profiling_consent=r.profiling_consent,
    )


def rules_message(r: SegmentRules) -> pb.SegmentRules:
    return pb.SegmentRules(
        tiers=sorted(r.tiers),
        channels=sorted(r.channels),
        store_ids=sorted(r.store_ids),
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


def segment_message(s: Segment) -> pb.Segment:
    return pb.Segment(
        segment_id=s.segment_id,
        name=s.name,
        rules=rules_message(s.rules),
        size=s.size,
        refreshed_at=optional_timestamp(s.refreshed_at),
        created_at=optional_timestamp(s.created_at),
        updated_at=optional_timestamp(s.updated_at),
    )


def cart_purchase(request: pb.DryRunCampaignRequest, now: datetime) -> Purchase:
    if not request.member_id:
        raise InvalidArgument("member_id: required")
    occurred = aware(request.occurred_at) if request.HasField("occurred_at") else now
    return Purchase(
        member=Member(request.member_id),
        channel=request.channel,
        store_id=request.store_id,
        occurred_at=occurred,
        total=parse_amount(request.total or "0", "total"),
        lines=tuple(
            Line(
                line.sku,
                line.category,
                line.quantity,
                parse_amount(line.amount, f"lines[{i}].amount"),
                line.base_points,
            )
            for i, line in enumerate(request.lines)
        ),
        tz=parse_zone(request.time_zone),
    )


def backtest_message(test: Backtest) -> pb.BacktestCampaignResponse:
    r = test.report
    message = pb.BacktestCampaignResponse(
        orders_replayed=r.orders_replayed,
        grants=r.grants,
        points_granted=r.points_granted,
        members_reached=r.members_reached,
        budget_used=r.budget_used,
        budget_ran_out_on="" if r.budget_ran_out_on is None else r.budget_ran_out_on.isoformat(),
        to=optional_timestamp(test.end),
    )
    # `from` is a Python keyword, so that field is set by name.
    getattr(message, "from").CopyFrom(timestamp(test.start))
    message.days.extend(
        pb.BacktestDay(
            date=d.day.isoformat(),
            points_granted=d.points_granted,
            grants=d.grants,
            budget_left=d.budget_left,
        )
        for d in test.days
    )
    return message


def days_message(days: list[ResultDay]) -> pb.GetCampaignDaysResponse:
    return pb.GetCampaignDaysResponse(
        days=[
            pb.CampaignDay(
                date=d.day.isoformat(),
                members_reached=d.members_reached,
                points_granted=d.points_granted,
                grants=d.grants,
                budget_left=d.budget_left,
            )
            for d in days
        ]
    )
