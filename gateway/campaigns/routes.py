"""`/v1/admin/campaigns`: operators draft, edit, activate, pause and follow campaigns."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from gateway.access.auth import OperatorKey as CampaignOperator
from gateway.campaigns.answers import CampaignListOut, CampaignOut
from gateway.campaigns.bodies import CampaignBody
from gateway.campaigns.holdout import with_holdout
from gateway.campaigns.translate import campaign_out, definition, summary_out
from gateway.clients import AppContainer, CampaignClient
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.languages import content_language
from gateway.edge.problems import problem_responses
from gateway.shared.languages import answer_language, reader_language
from loyalty.campaign.v1 import campaign_admin_pb2 as admin_pb
from loyalty.campaign.v1 import campaign_pb2 as pb

router = APIRouter(prefix="/v1/admin/campaigns", tags=["admin: campaigns"])

CampaignId = Annotated[str, Path(min_length=1, max_length=64)]
ENDED_SCAN = 200
_UPSTREAM = (503, 504)
_VERSIONS = (
    "An edit of an active or paused campaign makes a new version; grants name the version "
    "that produced them."
)


async def _answer(
    campaign: admin_pb.Campaign, locale: str, tenant_id: str, container: AppContainer
) -> CampaignOut:
    """The campaign with its results; a holdout's comparison from the analytics read model."""
    return await with_holdout(
        campaign_out(campaign, locale), container.analytics, tenant_id, campaign
    )


@router.post(
    "",
    status_code=201,
    response_model=CampaignOut,
    summary="Draft a campaign",
    description="The campaign starts as a `draft` at version 1; activate it to start granting.",
    responses=problem_responses(401, 403, 422, *_UPSTREAM),
    openapi_extra=json_body(CampaignBody),
)
async def create_campaign(
    request: Request, caller: CampaignOperator, campaigns: CampaignClient, container: AppContainer
) -> JSONResponse:
    body = parse_body(CampaignBody, await read_json(request))
    rpc = admin_pb.CreateCampaignRequest(tenant_id=caller.tenant_id, definition=definition(body))
    reply = await campaigns.CreateCampaign(rpc)
    locale = await reader_language(request, caller.tenant_id)
    out = await _answer(reply.campaign, locale, caller.tenant_id, container)
    answer = JSONResponse(out.model_dump(mode="json"), status_code=201)
    content_language(answer, locale)
    return answer


@router.get(
    "",
    response_model=CampaignListOut,
    summary="List the tenant's campaigns, newest first",
    description=(
        "A campaign whose `ends_at` has passed is `ended` (also when it was active or "
        "paused). `status=ended` looks among the newest 200 campaigns."
    ),
    responses=problem_responses(401, 403, 422, *_UPSTREAM),
)
async def list_campaigns(
    *,
    request: Request,
    response: Response,
    caller: CampaignOperator,
    campaigns: CampaignClient,
    status: Literal["draft", "active", "paused", "ended"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> CampaignListOut:
    # The service does not mark a campaign ended when its end passes: ask it for every
    # status that may turn out ended, and keep those the caller asked for.
    asked = "" if status == "ended" else status or ""
    wanted = ENDED_SCAN if status == "ended" else limit
    rpc = pb.ListCampaignsRequest(tenant_id=caller.tenant_id, status=asked, limit=wanted)
    reply = await campaigns.ListCampaigns(rpc)
    now = datetime.now(UTC)
    locale = await answer_language(request, response, caller.tenant_id)
    found = [summary_out(c, now, locale) for c in reply.campaigns]
    if status is not None:
        found = [c for c in found if c.status == status]
    return CampaignListOut(campaigns=found[:limit])


@router.get(
    "/{campaign_id}",
    response_model=CampaignOut,
    summary="A campaign with its results so far",
    description=(
        "Its counters come from the campaign service; for a campaign with a holdout, "
        "`results.holdout` compares targeted with held-out members over the campaign's days "
        "from the analytics read model (the league table's audience, hash and interval), "
        "without loading the tenant's members. When the read model cannot give it "
        "(unavailable, behind the stream, rebuilding, a segment's members not to be had), "
        "the campaign still answers, `results.holdout` null and "
        "`results.holdout_unavailable` saying why."
    ),
    responses=problem_responses(401, 403, 404, *_UPSTREAM),
)
async def get_campaign(
    request: Request,
    response: Response,
    caller: CampaignOperator,
    campaigns: CampaignClient,
    campaign_id: CampaignId,
    *,
    container: AppContainer,
) -> CampaignOut:
    locale = await answer_language(request, response, caller.tenant_id)
    rpc = admin_pb.GetCampaignRequest(tenant_id=caller.tenant_id, campaign_id=campaign_id)
    reply = await campaigns.GetCampaign(rpc)
    return await _answer(reply.campaign, locale, caller.tenant_id, container)


@router.put(
    "/{campaign_id}",
    response_model=CampaignOut,
    summary="Replace a campaign's definition",
    description=_VERSIONS + " An ended campaign cannot be edited (409).",
    responses=problem_responses(401, 403, 404, 409, 422, *_UPSTREAM),
    openapi_extra=json_body(CampaignBody),
)
async def update_campaign(
    request: Request,
    response: Response,
    caller: CampaignOperator,
    campaigns: CampaignClient,
    campaign_id: CampaignId,
    *,
    container: AppContainer,
) -> CampaignOut:
    body = parse_body(CampaignBody, await read_json(request))
    locale = await answer_language(request, response, caller.tenant_id)
    rpc = admin_pb.UpdateCampaignRequest(
        tenant_id=caller.tenant_id, campaign_id=campaign_id, definition=definition(body)
    )
    reply = await campaigns.UpdateCampaign(rpc)
    return await _answer(reply.campaign, locale, caller.tenant_id, container)


@router.post(
    "/{campaign_id}/activate",
    response_model=CampaignOut,
    summary="Start (or resume) granting",
    description="Activating an active campaign changes nothing. 409 when it has ended.",
    responses=problem_responses(401, 403, 404, 409, *_UPSTREAM),
)
async def activate_campaign(
    request: Request,
    response: Response,
    caller: CampaignOperator,
    campaigns: CampaignClient,
    campaign_id: CampaignId,
    *,
    container: AppContainer,
) -> CampaignOut:
    locale = await answer_language(request, response, caller.tenant_id)
    rpc = admin_pb.ActivateCampaignRequest(tenant_id=caller.tenant_id, campaign_id=campaign_id)
    reply = await campaigns.ActivateCampaign(rpc)
    return await _answer(reply.campaign, locale, caller.tenant_id, container)


@router.post(
    "/{campaign_id}/pause",
    response_model=CampaignOut,
    summary="Stop granting until activated again",
    description="Pausing a paused campaign changes nothing. 409 for a draft or an ended one.",
    responses=problem_responses(401, 403, 404, 409, *_UPSTREAM),
)
async def pause_campaign(
    request: Request,
    response: Response,
    caller: CampaignOperator,
    campaigns: CampaignClient,
    campaign_id: CampaignId,
    *,
    container: AppContainer,
) -> CampaignOut:
    locale = await answer_language(request, response, caller.tenant_id)
    rpc = admin_pb.PauseCampaignRequest(tenant_id=caller.tenant_id, campaign_id=campaign_id)
    reply = await campaigns.PauseCampaign(rpc)
    return await _answer(reply.campaign, locale, caller.tenant_id, container)
