"""`GET /v1/admin/analytics/churn`: members at risk of churning, paged, with counts by
tier and store, as JSON or CSV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from gateway.access.auth import OperatorKey
from gateway.analytics.bodies import Format, StoreFilter, TierFilter, ToDay
from gateway.analytics.csv_out import csv_response, wants_csv
from gateway.analytics.routes import _CSV, _READ_PROBLEMS, AnalyticsClient, _range, _tenant_zone
from gateway.clients import AppContainer
from gateway.edge.params import Cursor, Limit
from loyalty.analytics.v1 import churn_pb2 as pb

router = APIRouter(prefix="/v1/admin/analytics", tags=["admin: analytics"])
WinBackDays = Annotated[
    int,
    Query(ge=1, le=365, description="Win-back: a purchase within this many days of the reward"),
]


class MemberAtRiskOut(BaseModel):
    member_id: str | None = Field(description="null for an erased member (counted, not named)")
    tier: str
    store_id: str = Field(description="where the latest purchase was made")
    last_purchase: str = Field(description="the day of the latest purchase")
    gap_days: int = Field(description="days from the latest purchase to `as_of`")
    usual_interval_days: int = Field(description="the median days between their purchases")
    score: int = Field(description="50 to 100")
    reasons: list[str] = Field(
        description="beyond_usual_interval, lapsed_90_days, slowing_down, returned_last_purchase"
    )


class RiskCountOut(BaseModel):
    key: str
    members: int


class WinBackOut(BaseModel):
    campaign_id: str
    rewarded: int = Field(description="members the campaign rewarded in the year to `as_of`")
    won_back: int = Field(description="of them, bought within `win_back_days` of the reward")
    waiting: int = Field(description="not back yet, their days not over by `as_of`")


class ChurnOut(BaseModel):
    as_of: str = Field(description="the day gaps run to (`to`, default today)")
    assessed: int = Field(description="members with a purchase on three days or more")
    at_risk: int
    erased: int = Field(description="erased members among those at risk")
    by_tier: list[RiskCountOut]
    by_store: list[RiskCountOut] = Field(description="by the store of the latest purchase")
    members: list[MemberAtRiskOut] = Field(description="this page, highest score first")
    next_cursor: str | None
    win_back_days: int
    win_back: list[WinBackOut] = Field(
        description="per campaign triggered by inactivity that rewarded members in the 365 "
        "days ending `as_of`"
    )


def churn_out(answer: pb.GetChurnRiskResponse) -> ChurnOut:
    return ChurnOut(
        as_of=answer.as_of_day,
        assessed=answer.assessed,
        at_risk=answer.at_risk,
        erased=answer.erased,
        by_tier=[RiskCountOut(key=c.key, members=c.members) for c in answer.by_tier],
        by_store=[RiskCountOut(key=c.key, members=c.members) for c in answer.by_store],
        members=[
            MemberAtRiskOut(
                member_id=m.member_id or None,
                tier=m.tier,
                store_id=m.store_id,
                last_purchase=m.last_purchase_day,
                gap_days=m.gap_days,
                usual_interval_days=m.usual_interval_days,
                score=m.score,
                reasons=list(m.reasons),
            )
            for m in answer.members
        ],
        next_cursor=answer.next_page_token or None,
        win_back_days=answer.win_back_days,
        win_back=[
            WinBackOut(
                campaign_id=w.campaign_id,
                rewarded=w.rewarded,
                won_back=w.won_back,
                waiting=w.waiting,
            )
            for w in answer.win_back
        ],
    )


@router.get(
    "/churn",
    response_model=ChurnOut,
    summary="Churn risk: members whose gap since their last purchase is well beyond their usual",
    description=(
        "Members who bought on three days or more, assessed on `to` (default today in the "
        "tenant's time zone): at risk when the days since their latest purchase are more "
        "than twice the median days between their purchases (at least a week), with a score "
        "from 50 to 100 and its reasons; counts by tier and by the store of the latest "
        "purchase. Members who refused profiling and merged members are left out; erased "
        "members are counted with no member id. `tier` and `store_id` narrow who is "
        "assessed; `limit` and `cursor` page the members. Win-back: per campaign triggered "
        "by inactivity, the members it rewarded in the 365 days ending `to` and how many "
        "bought within `win_back_days` (default 30) of the reward. `format=csv` or "
        "`Accept: text/csv` answers this page as CSV. Definitions: docs/analytics.md."
    ),
    responses={**_READ_PROBLEMS, 200: _CSV},
)
async def churn_risk(
    request: Request,
    caller: OperatorKey,
    *,
    analytics: AnalyticsClient,
    container: AppContainer,
    to_day: ToDay = None,
    tier: TierFilter = None,
    store_id: StoreFilter = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    win_back_days: WinBackDays = 30,
    format_: Format = None,
) -> ChurnOut | Response:
    zone, _ = await _tenant_zone(container, caller.tenant_id)
    as_of = _range(zone, None, to_day).to_day
    answer = await analytics.GetChurnRisk(
        pb.GetChurnRiskRequest(
            tenant_id=caller.tenant_id,
            as_of_day=as_of,
            tier=tier or "",
            store_ids=[store_id] if store_id else [],
            page_size=limit,
            page_token=cursor or "",
            win_back_days=win_back_days,
        )
    )
    report = churn_out(answer)
    if wants_csv(request, format_):
        return csv_response(report, f"churn-{report.as_of}")
    return report
