"""GetCampaignLeague's request and answer as protobuf, nothing else."""

from __future__ import annotations

from libs.grpc.requests import tenant_of
from loyalty.analytics.v1 import league_pb2 as pb
from services.analytics.domain.league import LeagueRow
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
            )
            for r in rows
        ]
    )
