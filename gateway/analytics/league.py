"""`GET /v1/admin/analytics/campaigns`: the campaign league table, as JSON or CSV."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from gateway.access.auth import OperatorKey
from gateway.analytics.answers import Range
from gateway.analytics.bodies import Format, FromDay, ToDay
from gateway.analytics.csv_out import csv_response, wants_csv
from gateway.analytics.routes import _CSV, _READ_PROBLEMS, AnalyticsClient, _range, _tenant_zone
from gateway.clients import AppContainer
from loyalty.analytics.v1 import league_pb2 as pb

router = APIRouter(prefix="/v1/admin/analytics", tags=["admin: analytics"])
Sort = Annotated[
    Literal["points", "reached", "grants", "cost", "campaign_id"] | None,
    Query(description="Largest first by this figure (default points); campaign_id: by id"),
]


class HoldoutOut(BaseModel):
    from_: str = Field(
        serialization_alias="from", description="the campaign's first day in the range"
    )
    to: str = Field(description="its last day in the range")
    targeted_members: int
    held_out_members: int
    uplift: str | None = Field(
        description="net spend per member, targeted less held out; null with fewer than two "
        "members in a group"
    )
    uplift_low: str | None = Field(description="the 95% interval's low end (Welch)")
    uplift_high: str | None = Field(description="the 95% interval's high end")
    incremental_sales: str | None = Field(description="uplift times the targeted members")
    cost_per_incremental_sale: str | None = Field(
        description="cost / incremental sales, 4 places; null without both or with none"
    )


class CampaignRowOut(BaseModel):
    campaign_id: str
    trigger: str | None = Field(description="purchase, enrollment, birthday, … ; null if unseen")
    reached: int = Field(description="members it rewarded with points in the range")
    grants: int = Field(description="its rewards in the range")
    points: int = Field(description="the points its rewards gave")
    cost: str | None = Field(description="points times the point value; null while none is set")
    holdout: HoldoutOut | None = Field(
        description="against its held-out members: a campaign with a holdout (its segment's "
        "members for a campaign for a segment); null otherwise"
    )
    holdout_unavailable: Literal["segment_unavailable"] | None = Field(
        default=None,
        description="why a campaign with a holdout has no comparison: segment_unavailable, "
        "the campaign service did not give its segment's members (try again later)",
    )


class LeagueOut(BaseModel):
    range: Range
    currency: str | None
    campaigns: list[CampaignRowOut]


def holdout_out(h: pb.HoldoutComparison) -> HoldoutOut:
    return HoldoutOut(
        from_=h.from_day,
        to=h.to_day,
        targeted_members=h.targeted_members,
        held_out_members=h.held_out_members,
        uplift=h.uplift or None,
        uplift_low=h.uplift_low or None,
        uplift_high=h.uplift_high or None,
        incremental_sales=h.incremental_sales or None,
        cost_per_incremental_sale=h.cost_per_incremental_sale or None,
    )


def _unavailable(reason: str) -> Literal["segment_unavailable"] | None:
    return "segment_unavailable" if reason == "segment_unavailable" else None


@router.get(
    "/campaigns",
    response_model=LeagueOut,
    summary="Campaign league table: members reached, points granted and their cost",
    description=(
        "Per campaign that rewarded members with points in the range (the tenant's time "
        "zone): the members it reached (a merged member's rewards are its survivor's), its "
        "rewards (grants and purchases' bonus lines), their points and their cost at the "
        "point value (PUT /v1/admin/analytics/settings); for a campaign with a holdout, its "
        "audience (every enrolled member, or the members of its segment as the campaign "
        "service holds them, a merged member in its survivor) split by its holdout hash over "
        "its days in the range: net spend per member targeted less held out with its 95% "
        "interval, the incremental sales and the cost per unit of them. When a segment's "
        "members cannot be had, the row still comes, its `holdout` null and "
        "`holdout_unavailable` saying why. `sort` orders it. Store, channel "
        "and tier filters do not apply. `format=csv` or `Accept: text/csv` answers CSV. "
        "Definitions: docs/analytics.md."
    ),
    responses={**_READ_PROBLEMS, 200: _CSV},
)
async def campaign_league(
    request: Request,
    caller: OperatorKey,
    *,
    analytics: AnalyticsClient,
    container: AppContainer,
    from_day: FromDay = None,
    to_day: ToDay = None,
    sort: Sort = None,
    format_: Format = None,
) -> LeagueOut | Response:
    zone, currency = await _tenant_zone(container, caller.tenant_id)
    days = _range(zone, from_day, to_day)
    answer = await analytics.GetCampaignLeague(
        pb.GetCampaignLeagueRequest(
            tenant_id=caller.tenant_id,
            from_day=days.from_day,
            to_day=days.to_day,
            sort=sort or "",
        )
    )
    report = LeagueOut(
        range=days,
        currency=currency or None,
        campaigns=[
            CampaignRowOut(
                campaign_id=c.campaign_id,
                trigger=c.trigger or None,
                reached=c.reached,
                grants=c.grants,
                points=c.points,
                cost=c.cost or None,
                holdout=holdout_out(c.holdout) if c.HasField("holdout") else None,
                holdout_unavailable=_unavailable(c.holdout_unavailable),
            )
            for c in answer.campaigns
        ],
    )
    if wants_csv(request, format_):
        return csv_response(report, f"campaigns-{days.from_day}-{days.to_day}")
    return report
