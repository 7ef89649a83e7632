"""GetChurnRisk's request and answer as protobuf, nothing else."""

from __future__ import annotations

from libs.grpc.requests import tenant_of
from loyalty.analytics.v1 import churn_pb2 as pb
from services.analytics.handlers.churn import ChurnPage, ChurnQuery


def churn_query(request: pb.GetChurnRiskRequest) -> ChurnQuery:
    return ChurnQuery(
        tenant_id=tenant_of(request.tenant_id),
        as_of=request.as_of_day,
        tier=request.tier,
        store_ids=tuple(s for s in request.store_ids if s),
        page_size=request.page_size,
        page_token=request.page_token,
        win_back_days=request.win_back_days,
    )


def churn_message(page: ChurnPage) -> pb.GetChurnRiskResponse:
    report = page.report
    return pb.GetChurnRiskResponse(
        as_of_day=report.as_of,
        assessed=report.assessed,
        at_risk=page.at_risk,
        erased=report.erased,
        by_tier=[pb.RiskCount(key=k, members=n) for k, n in report.by_tier.items()],
        by_store=[pb.RiskCount(key=k, members=n) for k, n in report.by_store.items()],
        members=[
            pb.MemberAtRisk(
                member_id=r.member_id,
                tier=r.tier,
                store_id=r.store_id,
                last_purchase_day=r.last_purchase,
                gap_days=r.gap_days,
                usual_interval_days=r.usual_days,
                score=r.score,
                reasons=list(r.reasons),
            )
            for r in report.at_risk
        ],
        next_page_token=page.next_page_token,
        win_back=[
            pb.WinBack(
                campaign_id=w.campaign_id,
                rewarded=w.rewarded,
                won_back=w.won_back,
                waiting=w.waiting,
            )
            for w in page.win_back
        ],
        win_back_days=page.win_back_days,
    )
