"""GetCampaignLeague's request and answer as protobuf, nothing else."""

from __future__ import annotations

from decimal import Decimal

from libs.grpc.requests import tenant_of
from loyalty.analytics.v1 import league_pb2 as pb
from services.analytics.domain.league import Comparison, LeagueRow
from services.analytics.domain.ports import Scope
from services.analytics.domain.reports import money


def league_scope(request: pb.GetCampaignLeagueRequest) -> Scope:
    return Scope(tenant_of(request.tenant_id), request.from_day, request.to_day)


def league_message(rows: list[LeagueRow]) -> pb.GetCampaignLeagueResponse:
    return pb.GetCampaignLeagueResponse(
        campaigns=[
            pb.CampaignLeagueRow(
                campaign_id=r.campaign_id,
                trigger=r.trigger,
                reached=r.reached,
                grants=r.grants,
                points=r.points,
                cost="" if r.cost_cents is None else money(r.cost_cents),
                holdout=None if r.comparison is None else comparison_message(r.comparison),
                holdout_unavailable=r.no_comparison,
            )
            for r in rows
        ]
    )


def _text(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def comparison_message(c: Comparison) -> pb.HoldoutComparison:
    u = c.uplift
    return pb.HoldoutComparison(
        from_day=c.from_day,
        to_day=c.to_day,
        targeted_members=c.targeted,
        held_out_members=c.held_out,
        uplift=_text(None if u is None else u.difference),
        uplift_low=_text(None if u is None else u.low),
        uplift_high=_text(None if u is None else u.high),
        incremental_sales=_text(c.incremental_sales),
        cost_per_incremental_sale=_text(c.cost_per_incremental),
    )
