"""`/v1/admin/campaigns/{id}/dry-run` and `/backtest`: a campaign tried before launch;
`/results/daily`: what it did, day by day."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from gateway.access.auth import OperatorKey as CampaignOperator
from gateway.campaigns.audience_answers import BacktestOut, CampaignDaysOut, DryRunOut
from gateway.campaigns.audience_bodies import BacktestBody, DryRunBody
from gateway.campaigns.audience_translate import (
    backtest_out,
    days_out,
    dry_run_message,
    dry_run_out,
)
from gateway.campaigns.backtest_background import KIND as BACKTEST_KIND
from gateway.campaigns.backtest_background import backtest_input, backtest_request
from gateway.campaigns.daily import with_holdout_days
from gateway.clients import AppContainer, CampaignClient, PointsClient
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.problems import problem_responses
from gateway.shared.operation_answers import (
    ACCEPTED_RESPONSE,
    AsyncQuery,
    accepted,
    respond_async,
)
from gateway.tenancy.operations import OPERATIONS, OperationStore, operation_doc
from loyalty.campaign.v1 import campaign_admin_pb2 as admin_pb
from loyalty.campaign.v1 import campaign_audience_pb2 as pb
from loyalty.points.v1 import points_pb2

router = APIRouter(prefix="/v1/admin/campaigns", tags=["admin: campaigns"])

CampaignId = Annotated[str, Path(min_length=1, max_length=64)]
_UPSTREAM = (503, 504)


async def _time_zone(container: AppContainer, tenant_id: str) -> str:
    tenant = await container.tenants.get(tenant_id)
    return "" if tenant is None else tenant.time_zone


@router.post(
    "/{campaign_id}/dry-run",
    response_model=DryRunOut,
    summary="What a campaign (even a draft) would add to one cart of one member",
    description=(
        "The member's tier, enrolment, segments and consent are those the campaign service "
        "knows; base points follow the tenant's earning rate. Nothing is reserved or granted."
    ),
    responses=problem_responses(401, 403, 404, 422, *_UPSTREAM),
    openapi_extra=json_body(DryRunBody),
)
async def dry_run_campaign(
    request: Request,
    caller: CampaignOperator,
    *,
    campaigns: CampaignClient,
    points: PointsClient,
    container: AppContainer,
    campaign_id: CampaignId,
) -> DryRunOut:
    body = parse_body(DryRunBody, await read_json(request))
    rule = await points.GetEarningRule(points_pb2.GetEarningRuleRequest(tenant_id=caller.tenant_id))
    time_zone = await _time_zone(container, caller.tenant_id)
    rpc = dry_run_message(body, caller.tenant_id, campaign_id, time_zone, rule.rule)
    return dry_run_out(await campaigns.DryRunCampaign(rpc))


@router.post(
    "/{campaign_id}/backtest",
    response_model=BacktestOut,
    summary="Replay the last N days of purchases through a campaign",
    description=(
        "Oldest first, with the campaign's conditions, audience, budget and per-member limit "
        "(its schedule aside): the points it would have granted, the members reached, the "
        "budget used and the local day it would have run out; `daily` gives every local day "
        "of the window with its points granted and the budget left at its end. Nothing is "
        "granted. With `?async=true` (or `Prefer: respond-async`) the gateway runs it in the "
        "background: 202 with the operation (`kind` `backtest`, `subject` the campaign), "
        "whose `result` is this answer once `done`; an unknown campaign then fails the "
        "operation rather than the request."
    ),
    responses={**ACCEPTED_RESPONSE, **problem_responses(401, 403, 404, 422, *_UPSTREAM)},
    openapi_extra=json_body(BacktestBody),
)
async def backtest_campaign(
    request: Request,
    caller: CampaignOperator,
    *,
    campaigns: CampaignClient,
    container: AppContainer,
    campaign_id: CampaignId,
    run_async: AsyncQuery = False,
) -> BacktestOut | JSONResponse:
    body = parse_body(BacktestBody, await read_json(request))
    time_zone = await _time_zone(container, caller.tenant_id)
    if respond_async(request, run_async):
        work = backtest_input(campaign_id, body.days, time_zone)
        doc = operation_doc(
            caller.tenant_id, caller.key_id, BACKTEST_KIND, campaign_id, 1, work=work
        )
        return accepted(await OperationStore(container.db[OPERATIONS]).start_background(doc))
    rpc = backtest_request(caller.tenant_id, work=backtest_input(campaign_id, body.days, time_zone))
    return backtest_out(await campaigns.BacktestCampaign(rpc), body.days)


@router.get(
    "/{campaign_id}/results/daily",
    response_model=CampaignDaysOut,
    summary="A campaign's results day by day",
    description=(
        "Every local day (the tenant's time zone) from the campaign's start (its creation "
        "when it has none) to its end or today, at most the latest 366: members rewarded for "
        "the first time, points granted and grants (each counted on its order's local day), "
        "the budget left at the day's end (from the campaign service); the orders and spend "
        "(less that day's returns) of the targeted and the held-out members of its audience, "
        "and the uplift in spend per member with its 95% interval from the start to the "
        "day's end (the last day's is `results.holdout`'s), from the analytics read model as "
        "`GET /v1/admin/campaigns/{campaign_id}` composes its `results.holdout`. When the "
        "read model cannot answer, those are null and `holdout_unavailable` says why; the "
        "rest still answers. The totals stay in "
        "`GET /v1/admin/campaigns/{campaign_id}`'s `results`."
    ),
    responses=problem_responses(401, 403, 404, *_UPSTREAM),
)
async def campaign_days(
    caller: CampaignOperator,
    campaigns: CampaignClient,
    container: AppContainer,
    campaign_id: CampaignId,
) -> CampaignDaysOut:
    tenant_id = caller.tenant_id
    time_zone = await _time_zone(container, tenant_id)
    rpc = pb.GetCampaignDaysRequest(
        tenant_id=tenant_id, campaign_id=campaign_id, time_zone=time_zone
    )
    asked = admin_pb.GetCampaignRequest(tenant_id=tenant_id, campaign_id=campaign_id)
    reply, found = await asyncio.gather(
        campaigns.GetCampaignDays(rpc), campaigns.GetCampaign(asked)
    )
    out = days_out(reply, campaign_id, time_zone)
    return await with_holdout_days(out, container.analytics, tenant_id, found.campaign)
